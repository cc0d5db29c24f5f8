using Nabla.Data;

namespace Nabla.Tests.Data;

public class ScalerTests
{
    // Training rows: feature 0 is 1, 2, 3, 4 (mean 2.5, population std √1.25); feature 1 is constant 7.
    private static readonly Tensor Train = Tensor.FromArray([1f, 7f, 2f, 7f, 3f, 7f, 4f, 7f], 4, 2);
    // Other data with a very different distribution: it must not influence the fitted statistics.
    private static readonly Tensor Other = Tensor.FromArray([100f, 7f, -50f, 9f], 2, 2);

    private static void Close(double[] expected, Tensor actual, double tolerance = 1e-6)
    {
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {values[i]}");
    }

    [Fact]
    public void StandardizerUsesTheTrainingStatisticsOnly()
    {
        var scaler = Standardizer.Fit(Train);
        Close([2.5, 7], scaler.Mean);
        Close([Math.Sqrt(1.25), 0], scaler.Std);

        double s = Math.Sqrt(1.25);
        Close([(100 - 2.5) / s, 0, (-50 - 2.5) / s, 2], scaler.Transform(Other), 1e-4);

        // Fitting on everything would give other statistics: the check above can tell them apart.
        var everything = Standardizer.Fit(Tensor.Cat([Train, Other]));
        Assert.NotEqual(scaler.Mean.ToArray(), everything.Mean.ToArray());
    }

    [Fact]
    public void StandardizedTrainingDataHasZeroMeanAndUnitStd()
    {
        var x = Tensor.Randn([500, 3], new Generator(2)) * 4f + 10f;
        var z = Standardizer.Fit(x).Transform(x);
        Close([0, 0, 0], z.Mean(0), 1e-5);
        Close([1, 1, 1], z.Std(0, correction: 0), 1e-5);
    }

    [Fact]
    public void ConstantFeaturesAreCentredButNotScaled()
    {
        var scaler = Standardizer.Fit(Train);
        Close([Math.Sqrt(1.25), 1], scaler.Scale); // feature 1's zero std is replaced by 1 ...
        var z = scaler.Transform(Train).ToArray();
        Assert.All(z, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0f, z[1]);                       // ... so it becomes 0, not NaN
        Assert.Equal(2f, scaler.Transform(Other).ToArray()[3]); // and other data keeps its offset, unscaled
    }

    [Fact]
    public void InverseTransformUndoesTransform()
    {
        var scaler = Standardizer.Fit(Train);
        Close(Other.ToDoubleArray(), scaler.InverseTransform(scaler.Transform(Other)), 1e-4);
        var minMax = MinMaxScaler.Fit(Train);
        Close(Other.ToDoubleArray(), minMax.InverseTransform(minMax.Transform(Other)), 1e-4);
    }

    [Fact]
    public void FitOnATrainingSubsetAndTransformDataSets()
    {
        var spirals = Generators.Spirals(60, classes: 3, noise: 0.2, seed: 0);
        var (train, validation) = spirals.TrainValidationSplit(0.2, seed: 0, stratify: true);
        var scaler = Standardizer.Fit(train);
        var trainInputs = train.GetBatch([.. Enumerable.Range(0, train.Count)]).Input;
        Close(trainInputs.Mean(0).ToDoubleArray(), scaler.Mean, 1e-5);

        var scaled = Assert.IsType<ClassificationDataset>(scaler.Transform(spirals));
        Assert.Equal(spirals.ClassNames, scaled.ClassNames);
        Assert.Equal(spirals.Targets.ToArray(), scaled.Targets.ToArray());
        var plain = scaler.Transform(validation);
        Assert.IsNotType<ClassificationDataset>(plain);
        Assert.Equal(validation.Count, plain.Count);
        Close(scaler.Transform(validation.Get(0).Input.Unsqueeze(0)).ToDoubleArray(), plain.Inputs[0]);
    }

    [Fact]
    public void MinMaxScalesTrainingDataIntoTheUnitRange()
    {
        var scaler = MinMaxScaler.Fit(Train);
        Close([1, 7], scaler.Min);
        Close([4, 7], scaler.Max);
        Close([0, 0, 1 / 3.0, 0, 2 / 3.0, 0, 1, 0], scaler.Transform(Train));
        Close([33, 0, -17, 2], scaler.Transform(Other), 1e-4);
    }

    [Fact]
    public void ScalersWorkOnImageShapedInputs()
    {
        var images = Tensor.Rand([6, 1, 2, 2], new Generator(3));
        var scaler = Standardizer.Fit(images);
        Assert.Equal([1, 2, 2], scaler.Mean.Shape);
        Assert.Equal([6, 1, 2, 2], scaler.Transform(images).Shape);
    }

    [Fact]
    public void BadShapesAndEmptyDataAreRejected()
    {
        var scaler = Standardizer.Fit(Train);
        var e = Assert.Throws<ArgumentException>(() => scaler.Transform(Tensor.Zeros(3, 5)));
        Assert.Contains("expected inputs of shape (N, 2)", e.Message);
        Assert.Contains("(3, 5)", e.Message);
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(Tensor.Zeros(0, 2)));
        Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(Tensor.Scalar(1f)));
        var nan = Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(Tensor.FromArray([1f, float.NaN], 2, 1)));
        Assert.Contains("NaN", nan.Message);
    }
}
