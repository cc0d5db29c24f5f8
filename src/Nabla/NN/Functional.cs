namespace Nabla.NN;

/// <summary>
/// The stateless forms of the layers and losses (<c>torch.nn.functional</c>): the same computation as the module,
/// with every setting passed in. Each lives in the file of its module. Import it short as PyTorch users do:
/// <c>using F = Nabla.NN.Functional;</c> then <c>F.CrossEntropy(logits, labels)</c>.
/// </summary>
public static partial class Functional
{
}
