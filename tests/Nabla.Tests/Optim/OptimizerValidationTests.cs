using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>Bad hyperparameters and bad use get an ArgumentException naming the optimizer, the option and the value.</summary>
public class OptimizerValidationTests
{
    private static Parameter[] Params() => [new Parameter(Tensor.Zeros(3))];

    public static IEnumerable<object[]> BadArguments =>
    [
        [(Action)(() => new SGD(Params(), lr: -0.1)), "lr", "SGD: lr must be a finite number >= 0, got -0.1."],
        [(Action)(() => new SGD(Params(), lr: double.NaN)), "lr", "SGD: lr must be a finite number >= 0, got NaN."],
        [(Action)(() => new SGD(Params(), lr: 0.1, momentum: -0.9)), "momentum", "SGD: momentum must be a finite number >= 0, got -0.9."],
        [(Action)(() => new SGD(Params(), lr: 0.1, weightDecay: -1e-4)), "weightDecay", "SGD: weight_decay must be a finite number >= 0, got -0.0001."],
        [(Action)(() => new SGD(Params(), lr: 0.1, nesterov: true)), "nesterov", "SGD: nesterov momentum requires momentum > 0 and dampening = 0, got momentum = 0, dampening = 0."],
        [(Action)(() => new SGD(Params(), lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)), "nesterov", "got momentum = 0.9, dampening = 0.1."],
        [(Action)(() => new Adam(Params(), betas: (1.0, 0.999))), "betas", "Adam: beta1 must be in [0, 1), got 1."],
        [(Action)(() => new Adam(Params(), betas: (0.9, -0.5))), "betas", "Adam: beta2 must be in [0, 1), got -0.5."],
        [(Action)(() => new Adam(Params(), eps: -1e-8)), "eps", "Adam: eps must be a finite number >= 0, got -1E-08."],
        [(Action)(() => new AdamW(Params(), weightDecay: -0.01)), "weightDecay", "AdamW: weight_decay must be a finite number >= 0, got -0.01."],
        [(Action)(() => new AdamW(Params(), lr: double.PositiveInfinity)), "lr", "AdamW: lr must be a finite number >= 0, got Infinity."],
        [(Action)(() => new RMSprop(Params(), alpha: -0.5)), "alpha", "RMSprop: alpha must be a finite number >= 0, got -0.5."],
        [(Action)(() => new RMSprop(Params(), momentum: -1)), "momentum", "RMSprop: momentum must be a finite number >= 0, got -1."],
        [(Action)(() => new Adagrad(Params(), lrDecay: -1)), "lrDecay", "Adagrad: lr_decay must be a finite number >= 0, got -1."],
        [(Action)(() => new Adagrad(Params(), initialAccumulatorValue: -0.1)), "initialAccumulatorValue", "Adagrad: initial_accumulator_value must be a finite number >= 0, got -0.1."],
        [(Action)(() => new SGD(Array.Empty<Parameter>(), lr: 0.1)), "groups", "SGD: the optimizer got an empty parameter list."],
        [(Action)(() => { var p = Params(); new SGD([p[0], p[0]], lr: 0.1); }), "group", "SGD: a parameter of shape (3,) appears twice in parameter group 0."],
        [(Action)(() => { var p = Params(); new SGD([new ParamGroup(p), new ParamGroup(p)], lr: 0.1); }), "group", "appears in more than one parameter group"],
        [(Action)(() => new Adam([new ParamGroup(Params()) { ["betas"] = 0.9 }])), "group", "Adam: unknown option(s) betas in parameter group 0; the options are: lr, beta1, beta2, eps, weight_decay, amsgrad, maximize."],
        [(Action)(() => new Adam([new ParamGroup(Params()) { ["amsgrad"] = 0.5 }])), "amsgrad", "Adam: amsgrad is a switch and must be 0 or 1, got 0.5."],
        [(Action)(() => new StepLR(new SGD(Params(), 0.1), stepSize: 0)), "stepSize", "StepLR: stepSize must be >= 1, got 0."],
        [(Action)(() => new ExponentialLR(new SGD(Params(), 0.1), gamma: -0.5)), "gamma", "ExponentialLR: gamma must be a finite number >= 0, got -0.5."],
        [(Action)(() => new CosineAnnealingLR(new SGD(Params(), 0.1), tMax: 0)), "tMax", "CosineAnnealingLR: tMax must be >= 1, got 0."],
        [(Action)(() => new OneCycleLR(new SGD(Params(), 0.1), maxLr: 0.1, totalSteps: 0)), "totalSteps", "OneCycleLR: totalSteps must be >= 1, got 0."],
        [(Action)(() => new OneCycleLR(new SGD(Params(), 0.1), maxLr: -1, totalSteps: 10)), "maxLr", "OneCycleLR: maxLr must be a finite number > 0, got -1."],
        [(Action)(() => new OneCycleLR(new SGD(Params(), 0.1), maxLr: 0.1, totalSteps: 10, pctStart: 1.5)), "pctStart", "OneCycleLR: pctStart must be in [0, 1], got 1.5."],
        [(Action)(() => new OneCycleLR(new SGD(Params(), 0.1), maxLr: 0.1, totalSteps: 10, pctStart: 0.1)), "pctStart", "phase 1 would span zero steps"],
        [(Action)(() => new OneCycleLR(new Adagrad(Params()), maxLr: 0.1, totalSteps: 10)), "cycleMomentum", "OneCycleLR: cycleMomentum needs an optimizer with momentum or betas, and Adagrad has neither; pass cycleMomentum: false."],
        [(Action)(() => new OneCycleLR(new Adam(Params()), maxLr: 0.1, totalSteps: 10, maxMomentum: 1.0)), "betas", "Adam: beta1 must be in [0, 1), got 1."],
        [(Action)(() => new ReduceLROnPlateau(new SGD(Params(), 0.1), factor: 1.0)), "factor", "ReduceLROnPlateau: factor must be in [0, 1), got 1."],
        [(Action)(() => new ReduceLROnPlateau(new SGD(Params(), 0.1), patience: -1)), "patience", "ReduceLROnPlateau: patience must be >= 0, got -1."],
    ];

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void BadArgumentIsRefused(Action make, string parameter, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(make);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void SettingAnOptionIsCheckedAndABadValueIsNotKept()
    {
        var sgd = new SGD(Params(), lr: 0.1, momentum: 0.9, nesterov: true);
        var group = sgd.ParamGroups[0];
        var error = Assert.Throws<ArgumentException>(() => group["lr"] = -1);
        Assert.Contains("SGD: lr must be a finite number >= 0, got -1.", error.Message);
        Assert.Equal(0.1, group.LearningRate);
        error = Assert.Throws<ArgumentException>(() => group["momentum"] = 0);
        Assert.Contains("nesterov momentum requires momentum > 0", error.Message);
        Assert.Equal(0.9, group["momentum"]);
        error = Assert.Throws<ArgumentException>(() => group["beta1"] = 0.5);
        Assert.Contains("SGD has no option 'beta1'", error.Message);
        Assert.Throws<ArgumentException>(() => sgd.LearningRate = double.NaN);
        var missing = Assert.Throws<KeyNotFoundException>(() => group["betas"]);
        Assert.Contains("no option 'betas'", missing.Message);
    }

    [Fact]
    public void GradientOfTheWrongShapeOrDtypeIsReported()
    {
        var p = new Parameter(Tensor.Zeros(2, 3));
        var sgd = new SGD([p], lr: 0.1);
        p.Grad = Tensor.Zeros(3, 2);
        var error = Assert.Throws<InvalidOperationException>(sgd.Step);
        Assert.Contains("SGD: a parameter of shape (2, 3) has a gradient of shape (3, 2).", error.Message);
        p.Grad = Tensor.Zeros(DType.Float64, 2, 3);
        error = Assert.Throws<InvalidOperationException>(sgd.Step);
        Assert.Contains("a Float32 parameter of shape (2, 3) has a Float64 gradient", error.Message);
    }
}
