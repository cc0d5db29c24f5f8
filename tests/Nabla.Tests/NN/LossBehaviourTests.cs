using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Loss behaviour beyond the fixtures: error messages, float32 stability, edge cases and printing.</summary>
public class LossBehaviourTests
{
    private static Tensor Logits(params int[] shape) => Tensor.Randn(shape, new Generator(1));

    [Fact]
    public void ClassLabelOutOfRangeNamesTheLabelItsPositionAndC()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new CrossEntropyLoss().Forward(Logits(3, 5), Tensor.FromArray([1f, 5f, 0f])));
        Assert.Contains("CrossEntropyLoss: target 5 at [1] is out of range for 5 classes (expected 0 to 4, or the ignore index -100)", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => new NLLLoss().Forward(Logits(2, 3, 2), Tensor.FromArray([0f, 1f, -1f, 2f], 2, 2)));
        Assert.Contains("NLLLoss: target -1 at [1, 0] is out of range for 3 classes", error.Message);
    }

    [Fact]
    public void NonIntegerClassTargetsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits(2, 3), Tensor.FromArray([0.5f, 1f])));
        Assert.Contains("class targets must be whole numbers, but the target at [0] is 0.5", error.Message);
    }

    [Fact]
    public void ClassTargetShapeMismatchNamesBothShapesAndTheExpectedOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits(3, 5), Tensor.FromArray([1f, 2f])));
        Assert.Contains("the target has shape (2,) but the input has shape (3, 5); expected a target of shape (3,) (class indices) or (3, 5) (class probabilities)",
                        error.Message);
        error = Assert.Throws<ArgumentException>(() => Functional.NllLoss(Logits(3, 5), Tensor.Zeros(3, 5)));
        Assert.Contains("expected a target of shape (3,) (class indices).", error.Message);
    }

    [Fact]
    public void ElementwiseLossShapeMismatchNamesBothShapes()
    {
        foreach (var loss in new Loss[] { new MSELoss(), new L1Loss(), new HuberLoss(), new SmoothL1Loss(), new BCELoss(), new BCEWithLogitsLoss() })
        {
            var error = Assert.Throws<ArgumentException>(() => loss.Forward(Tensor.Full(0.5f, 3, 1), Tensor.Full(0.5f, 3)));
            Assert.Contains($"{loss.GetType().Name}: the input has shape (3, 1) but the target has shape (3,)", error.Message);
        }
    }

    [Fact]
    public void WeightShapeErrors()
    {
        var error = Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Logits(3, 5), Tensor.FromArray([1f, 2f, 3f]), Tensor.Ones(4)));
        Assert.Contains("the class weight has shape (4,) but the input has 5 classes; expected (5,)", error.Message);
        error = Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropyWithLogits(Logits(3, 4), Tensor.Zeros(3, 4), posWeight: Tensor.Ones(3)));
        Assert.Contains("the pos_weight of shape (3,) does not broadcast to the input's shape (3, 4)", error.Message);
        error = Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropy(Tensor.Full(0.5f, 3), Tensor.Zeros(3), Tensor.Ones(2, 3)));
        Assert.Contains("the weight of shape (2, 3) does not broadcast to the input's shape (3,)", error.Message);
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        Assert.Contains("label smoothing must be in [0, 1], got 1.5",
            Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(labelSmoothing: 1.5)).Message);
        Assert.Contains("delta must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => new HuberLoss(delta: 0)).Message);
        Assert.Contains("beta must be non-negative", Assert.Throws<ArgumentOutOfRangeException>(() => new SmoothL1Loss(beta: -1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MSELoss((Reduction)7));
        var error = Assert.Throws<ArgumentException>(() =>
            Functional.CrossEntropy(Logits(2, 3), Tensor.Full(1f / 3, 2, 3), ignoreIndex: 1));
        Assert.Contains("an ignore index (1) applies to class-index targets, not to class probabilities", error.Message);
        error = Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Zeros(3, 0), Tensor.Zeros(3)));
        Assert.Contains("has no classes", error.Message);
    }

    [Fact]
    public void BceRejectsInputsThatAreNotProbabilities()
    {
        var error = Assert.Throws<ArgumentException>(() => new BCELoss().Forward(Tensor.FromArray([0.5f, 1.5f]), Tensor.Zeros(2)));
        Assert.Contains("the input must hold probabilities in [0, 1] (for logits use BCEWithLogitsLoss), but it holds 1.5", error.Message);
        error = Assert.Throws<ArgumentException>(() => new BCELoss().Forward(Tensor.FromArray([-0.25f, 0.5f]), Tensor.Zeros(2)));
        Assert.Contains("but it holds -0.25", error.Message);
        Assert.Throws<ArgumentException>(() => new BCELoss().Forward(Tensor.FromArray([float.NaN]), Tensor.Zeros(1)));
    }

    [Fact]
    public void CrossEntropyIsStableInFloat32ForHugeLogits()
    {
        var logits = Tensor.FromArray([1000f, 0f, -1000f, 0f, 1000f, 1000f], 2, 3);
        logits.RequiresGrad = true;
        var loss = Functional.CrossEntropy(logits, Tensor.FromArray([1f, 2f]), reduction: Reduction.None);
        Assert.Equal([1000f, MathF.Log(2)], loss.ToArray());
        loss.Sum().Backward();
        Assert.Equal([1f, -1f, 0f, 0f, 0.5f, -0.5f], logits.Grad!.ToArray());
    }

    [Fact]
    public void BceWithLogitsIsStableInFloat32()
    {
        var x = Tensor.FromArray([-100f, 100f, 20f]);
        x.RequiresGrad = true;
        var loss = Functional.BinaryCrossEntropyWithLogits(x, Tensor.FromArray([1f, 0f, 1f]), reduction: Reduction.None);
        var values = loss.ToArray();
        Assert.Equal(100f, values[0]);
        Assert.Equal(100f, values[1]);
        // log1p keeps the tiny loss of a confident right answer (PyTorch's float32 log(1 + e) rounds it to 0).
        Assert.Equal(2.0611537e-9f, values[2], 1e-15f);
        loss.Sum().Backward();
        Assert.Equal([-1f, 1f, -2.0611537e-9f], x.Grad!.ToArray(), new Tolerance(1e-15f));
    }

    [Fact]
    public void CrossEntropyFloat32AgreesWithFloat64()
    {
        var logits = Logits(17, 40) * 4f;
        var labels = Tensor.RandInt(0, 40, [17], new Generator(2));
        var weight = Tensor.Rand([40], new Generator(3)) + 0.5f;
        var l32 = logits.Clone(); l32.RequiresGrad = true;
        var l64 = logits.Double(); l64.RequiresGrad = true;
        var y32 = Functional.CrossEntropy(l32, labels, weight, labelSmoothing: 0.1);
        var y64 = Functional.CrossEntropy(l64, labels, weight.Double(), labelSmoothing: 0.1);
        Assert.Equal(DType.Float32, y32.DType);
        Assert.Equal(y64.ItemAsDouble(), y32.ItemAsDouble(), 1e-5);
        y32.Backward();
        y64.Backward();
        var g32 = l32.Grad!.ToDoubleArray();
        var g64 = l64.Grad!.ToDoubleArray();
        for (int i = 0; i < g32.Length; i++) Assert.Equal(g64[i], g32[i], 1e-6);
    }

    [Fact]
    public void CrossEntropyEqualsLogSoftmaxThenNll()
    {
        var logits = Logits(6, 5).Double();
        var labels = Tensor.FromArray([0f, 4f, 2f, -100f, 1f, 1f]);
        var weight = (Tensor.Rand([5], new Generator(4)) + 0.5f).Double();
        var fused = Functional.CrossEntropy(logits, labels, weight);
        var composed = Functional.NllLoss(logits.LogSoftmax(1), labels, weight);
        Assert.Equal(composed.ItemAsDouble(), fused.ItemAsDouble(), 12);
    }

    [Fact]
    public void MeanOverOnlyIgnoredTargetsIsNaNAsInPyTorch()
    {
        var logits = Logits(2, 3);
        logits.RequiresGrad = true;
        var loss = Functional.CrossEntropy(logits, Tensor.FromArray([-100f, -100f]));
        Assert.True(float.IsNaN(loss.Item()));
        Assert.Equal(0f, Functional.CrossEntropy(logits, Tensor.FromArray([-100f, -100f]), reduction: Reduction.Sum).Item());
    }

    [Fact]
    public void MseSumIsTheCourseNotesCost()
    {
        var prediction = Tensor.FromArray([1f, 2f, 3f]);
        var target = Tensor.FromArray([1.5f, 2f, 1f]);
        Assert.Equal(0.25f + 0f + 4f, new MSELoss(Reduction.Sum).Forward(prediction, target).Item());
        Assert.Equal(4.25f / 3, new MSELoss().Call(prediction, target).Item(), 1e-6f);
        Assert.Equal([0.25f, 0f, 4f], new MSELoss(Reduction.None).Forward(prediction, target).ToArray());
    }

    [Fact]
    public void LossesPrintTheirNonDefaultSettings()
    {
        Assert.Equal("MSELoss()", new MSELoss().ToString());
        Assert.Equal("L1Loss(reduction='sum')", new L1Loss(Reduction.Sum).ToString());
        Assert.Equal("CrossEntropyLoss()", new CrossEntropyLoss().ToString());
        Assert.Equal("CrossEntropyLoss(weight=(3,), ignore_index=0, reduction='none', label_smoothing=0.1)",
                     new CrossEntropyLoss(Tensor.Ones(3), 0, Reduction.None, 0.1).ToString());
        Assert.Equal("HuberLoss(delta=0.5)", new HuberLoss(delta: 0.5).ToString());
        Assert.Equal("BCEWithLogitsLoss(pos_weight=(4,))", new BCEWithLogitsLoss(posWeight: Tensor.Ones(4)).ToString());
    }

    private sealed class Tolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
