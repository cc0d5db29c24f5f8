using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>A named tensor in a module fixture (a state-dict entry or a parameter gradient).</summary>
public sealed record NamedFixtureTensor(string Name, int[] Shape, double[] Data)
{
    public FixtureTensor Tensor => new(Shape, Data);
}

/// <summary>One forward/backward step of a module fixture, in training or evaluation mode.</summary>
public sealed record ModuleFixtureStep(bool Train, FixtureTensor Input, bool InputRequiresGrad, FixtureTensor GradOutput,
                                       FixtureTensor Output, FixtureTensor? InputGrad, NamedFixtureTensor[] ParamGrads);

/// <summary>A torch module recorded by tools/fixtures_nn.py: its printout, names, state, steps and final state.</summary>
public sealed record ModuleFixtureCase(string Name, string Repr, string[] ParamNames, NamedFixtureTensor[] State,
                                       ModuleFixtureStep[] Steps, NamedFixtureTensor[] StateAfter)
{
    public override string ToString() => Name;
}

/// <summary>
/// Replays a module fixture on a Nabla module: same printout, same parameter and state names in the same order;
/// loads PyTorch's state with LoadStateDict (in float64), then per step compares the output, the input gradient and
/// every parameter gradient, and at the end every buffer (running statistics).
/// </summary>
public static class ModuleFixture
{
    public static IReadOnlyList<ModuleFixtureCase> Load(string fileName) => FixtureCases<ModuleFixtureCase>.Load(fileName);

    public static ModuleFixtureCase Get(string fileName, string name) =>
        Load(fileName).FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException($"No case '{name}' in fixture {fileName}; regenerate it with tools/fixtures_nn.py.");

    /// <summary>The case's state as a state dict of float64 tensors.</summary>
    public static List<KeyValuePair<string, Tensor>> StateDict(IEnumerable<NamedFixtureTensor> state) =>
        state.Select(s => new KeyValuePair<string, Tensor>(s.Name, s.Tensor.ToTensor())).ToList();

    public static void Verify(ModuleFixtureCase fixture, Module module, double tolerance = 1e-9)
    {
        Assert.Equal(fixture.Repr, module.ToString());
        Assert.Equal(fixture.ParamNames, module.NamedParameters().Select(p => p.Name).ToArray());
        Assert.Equal(fixture.State.Select(s => s.Name).ToArray(), module.StateDict().Select(kv => kv.Key).ToArray());

        module.Double();
        module.LoadStateDict(StateDict(fixture.State));
        for (int s = 0; s < fixture.Steps.Length; s++)
        {
            var step = fixture.Steps[s];
            string at = $"{fixture.Name} step {s} ({(step.Train ? "train" : "eval")})";
            module.Train(step.Train);
            module.ZeroGrad();
            var input = step.Input.ToTensor();
            input.RequiresGrad = step.InputRequiresGrad;
            var output = module.Call(input);
            TorchFixture.AssertClose(step.Output, output, tolerance, $"{at}: output");
            if (output.RequiresGrad) output.Backward(step.GradOutput.ToTensor());
            if (step.InputGrad is not null)
                TorchFixture.AssertClose(step.InputGrad, input.Grad ?? Tensor.ZerosLike(input), tolerance, $"{at}: input gradient");
            var parameters = module.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
            Assert.Equal(step.ParamGrads.Select(g => g.Name).Order(), parameters.Where(p => p.Value.Grad is not null).Select(p => p.Key).Order());
            foreach (var expected in step.ParamGrads)
                TorchFixture.AssertClose(expected.Tensor, parameters[expected.Name].Grad!, tolerance, $"{at}: gradient of {expected.Name}");
        }
        var state = module.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var expected in fixture.StateAfter)
            TorchFixture.AssertClose(expected.Tensor, state[expected.Name], tolerance, $"{fixture.Name}: final {expected.Name}");
    }

}
