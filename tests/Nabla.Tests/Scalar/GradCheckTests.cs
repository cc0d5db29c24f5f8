namespace Nabla.Tests.Scalar;

// Inside the namespace, so that GradCheck means the scalar one, not Nabla.GradCheck (the tensor one).
using Nabla.Scalar;

public class GradCheckTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 0; seed < 40; seed++)
            data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Backward_AgreesWithCentralDifferences_OnRandomExpressions(int seed)
    {
        var random = new Random(seed);
        var expression = new RandomExpression(random, inputs: 3, length: random.Next(4, 16));
        double[] point = [random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2];

        var report = GradCheck.Check(expression.Build, point);

        Assert.True(report.Passed, $"{expression}\n{report}");
        Assert.Equal(3, report.Inputs.Count);
    }

    [Fact]
    public void Check_OnTheMicrogradExpression_Passes_AndReportsTheGradients()
    {
        var report = GradCheck.Check((a, b) => ValueTests.MicrogradReadme(a, b), -4.0, 2.0);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(24.7041, report.Output, 1e-4);
        Assert.Equal(138.8338, report.Inputs[0].Analytic, 1e-4);
        Assert.Equal(645.5773, report.Inputs[1].Analytic, 1e-4);
        Assert.True(report.MaxRelError < 1e-7, report.ToString());
        Assert.Contains("passed", report.ToString());
    }

    // The check must catch a wrong derivative: tamper with one analytic gradient by 0.1%.
    [Fact]
    public void Check_Fails_WhenAGradientIsTamperedWith()
    {
        Func<Value[], Value> f = x => (x[0] * x[1]).Tanh() + x[1].Exp();
        double[] point = [0.7, -0.4];

        var honest = GradCheck.Check(f, point, GradCheck.DefaultEpsilon, GradCheck.DefaultTolerance, afterBackward: null);
        var tampered = GradCheck.Check(f, point, GradCheck.DefaultEpsilon, GradCheck.DefaultTolerance,
            afterBackward: leaves => leaves[1].Grad *= 1.001);

        Assert.True(honest.Passed, honest.ToString());
        Assert.False(tampered.Passed);
        Assert.True(tampered.Inputs[0].Passed);
        Assert.False(tampered.Inputs[1].Passed);
        Assert.InRange(tampered.MaxRelError, 5e-4, 2e-3);
        Assert.Contains("FAILED", tampered.ToString());
        Assert.Contains("<-- wrong", tampered.ToString());
    }

    // A real mistake a learner makes: using x.Data turns x into a constant, so Backward misses a term.
    [Fact]
    public void Check_Fails_WhenTheGraphIsCutByUsingData()
    {
        var report = GradCheck.Check(x => x * x.Data, 1.5); // forward x², backward only sees 1.5 * x

        Assert.False(report.Passed);
        Assert.Equal(1.5, report.Inputs[0].Analytic, 1e-12);
        Assert.Equal(3.0, report.Inputs[0].Numeric, 1e-6);
    }

    [Fact]
    public void Check_Fails_WhenTheResultDoesNotDependOnTheGraph()
    {
        var report = GradCheck.Check(x => new Value(Math.Sin(x.Data)), 0.3);
        Assert.False(report.Passed);
        Assert.Equal(0.0, report.Inputs[0].Analytic);
    }

    [Fact]
    public void Check_OnAnMlp_AgreesForEveryInput()
    {
        var model = new MLP(3, [4, 4, 1], Activation.Tanh, seed: 7);
        var report = GradCheck.Check(x => model.Forward(x)[0], [0.5, -1.0, 2.0]);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Check_RejectsBadArguments()
    {
        Assert.Throws<ArgumentException>(() => GradCheck.Check(x => x[0], ReadOnlySpan<double>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Check(x => x[0], [1.0], epsilon: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Check(x => x[0], [1.0], tolerance: -1));
        Assert.Throws<InvalidOperationException>(() => GradCheck.Check(_ => null!, [1.0]));
    }
}
