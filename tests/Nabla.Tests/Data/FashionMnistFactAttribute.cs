using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>
/// A fact that runs only where Fashion-MNIST is installed (<c>apt-get install dataset-fashion-mnist</c>);
/// elsewhere, as on CI machines, it is reported as skipped rather than passed or failed.
/// </summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!FashionMnist.IsAvailable())
            Skip = $"Fashion-MNIST is not installed in {FashionMnist.DefaultDirectory} (apt-get install dataset-fashion-mnist).";
    }
}
