using Nabla.Data;

namespace Nabla.Tests.Data;

public class BuiltinDatasetsTests
{
    [Fact]
    public void IrisHasItsKnownShapeRowsAndClasses()
    {
        var iris = BuiltinDatasets.Iris();
        Assert.Equal([150, 4], iris.Inputs.Shape);
        Assert.Equal([150], iris.Targets.Shape);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        Assert.Equal([50, 50, 50], iris.ClassCounts());
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], iris.Inputs.ToArray()[..4]);
        Assert.Equal(0f, iris.Targets.ToArray()[0]);
        Assert.Equal([5.9f, 3.0f, 5.1f, 1.8f], iris.Inputs.ToArray()[^4..]); // the last row, a virginica
        Assert.Equal(2f, iris.Targets.ToArray()[^1]);
        Assert.Contains("Fisher", iris.Citation);
        Assert.Contains("CC BY 4.0", iris.Citation);
    }

    [Fact]
    public void BreastCancerHasItsKnownShapeRowsAndClasses()
    {
        var data = BuiltinDatasets.BreastCancer();
        Assert.Equal([569, 30], data.Inputs.Shape);
        Assert.Equal(["malignant", "benign"], data.ClassNames);
        Assert.Equal([212, 357], data.ClassCounts());
        var x = data.Inputs.ToArray();
        Assert.Equal([17.99f, 10.38f, 122.8f, 1001f], x[..4]);
        Assert.Equal(0.1189f, x[29]);
        Assert.Contains("Wolberg", data.Citation);
        Assert.Contains("CC BY 4.0", data.Citation);
    }

    [Fact]
    public void DigitsHasItsKnownShapeRowsAndClasses()
    {
        var digits = BuiltinDatasets.Digits();
        Assert.Equal([1797, 64], digits.Inputs.Shape);
        Assert.Equal(10, digits.NumClasses);
        // Class counts as numpy counts them on the same file.
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], digits.ClassCounts());
        var x = digits.Inputs.ToArray();
        Assert.Equal([0f, 0f, 5f, 13f, 9f, 1f, 0f, 0f], x[..8]);
        Assert.Equal(0f, x.Min());
        Assert.Equal(16f, x.Max());
        Assert.Equal([0f, 1f], digits.Targets.ToArray()[..2]);
        Assert.Contains("Alpaydin", digits.Citation);

        var scaled = BuiltinDatasets.Digits(scaleToUnit: true).Inputs.ToArray();
        Assert.Equal(1f, scaled.Max());
        Assert.Equal(13f / 16f, scaled[3]);
    }

    [Fact]
    public void TrainTestSplitIsStratifiedEightyTwenty()
    {
        var (train, test) = BuiltinDatasets.Iris().TrainTestSplit();
        Assert.Equal(120, train.Count);
        Assert.Equal([10, 10, 10], test.ClassCounts());
        Assert.Equal("iris (test)", test.Name);
        Assert.Equal(["setosa", "versicolor", "virginica"], test.ClassNames);

        var (cancerTrain, cancerTest) = BuiltinDatasets.BreastCancer().TrainTestSplit();
        Assert.Equal(455, cancerTrain.Count);
        Assert.Equal([42, 72], cancerTest.ClassCounts());

        var (_, digitsTest) = BuiltinDatasets.Digits().TrainTestSplit();
        Assert.Equal(360, digitsTest.Count);
        Assert.All(digitsTest.ClassCounts(), c => Assert.InRange(c, 34, 37));
    }

    [Fact]
    public void TrainTestSplitHoldsEverySampleOnce()
    {
        var iris = BuiltinDatasets.Iris();
        var (train, test) = iris.TrainTestSplit();
        // Rows as strings: iris has two duplicate rows, so compare multisets, not sets.
        static string[] Rows(TensorDataset d) =>
            [.. Enumerable.Range(0, d.Count).Select(i => string.Join(",", d.Inputs[i].ToArray()) + ";" + d.Targets[i].Item())];
        Assert.Equal(Rows(iris).Order(), Rows(train).Concat(Rows(test)).Order());
    }

    [Fact]
    public void TrainTestSplitIsFixed()
    {
        // The test part must not change between versions or machines, or published test accuracies stop being
        // comparable. These indices come from an independent transcription of the generator and the stratified
        // split (tools/data_shuffle_reference.py).
        int[] testIndices = [0, 3, 8, 11, 20, 27, 32, 34, 48, 49, 53, 54, 61, 65, 71, 72, 76, 80, 81, 88,
                             110, 114, 117, 121, 124, 128, 131, 133, 136, 141];
        var iris = BuiltinDatasets.Iris();
        var test = iris.TrainTestSplit().Test;
        Assert.Equal(iris.GetBatch(testIndices).Input.ToArray(), test.Inputs.ToArray());
        Assert.NotEqual(test.Inputs.ToArray(), iris.TrainTestSplit(seed: 1).Test.Inputs.ToArray());
    }
}
