namespace Nabla.Scalar;

/// <summary>The nonlinearity of a <see cref="Neuron"/>, and the configuration of an <see cref="MLP"/>.</summary>
/// <remarks>
/// The two sources of this engine differ, and an <see cref="MLP"/> follows each faithfully:
/// <list type="bullet">
/// <item><see cref="Tanh"/> is the configuration of Karpathy's course notes ("The spelled-out intro
/// to neural networks and backpropagation"): <b>every</b> neuron, including those of the last layer,
/// applies tanh, and biases start uniform in [-1, 1]. Outputs are therefore in (-1, 1).</item>
/// <item><see cref="Relu"/> is the configuration of micrograd's <c>nn.py</c>: hidden neurons apply
/// ReLU, the <b>last layer is linear</b> (so scores can have any sign and size), and biases start at 0.</item>
/// </list>
/// </remarks>
public enum Activation
{
    /// <summary>No nonlinearity: the neuron outputs w·x + b. Used for the last layer of a ReLU MLP.</summary>
    Linear,

    /// <summary>tanh(w·x + b) in every layer; biases start uniform in [-1, 1] (course notes).</summary>
    Tanh,

    /// <summary>relu(w·x + b) in hidden layers, last layer linear; biases start at 0 (micrograd).</summary>
    Relu,
}
