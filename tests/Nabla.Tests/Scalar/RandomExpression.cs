using Nabla.Scalar;

namespace Nabla.Tests.Scalar;

/// <summary>
/// A random scalar expression over a few inputs, drawn once from a seeded <see cref="Random"/> and
/// then rebuilt on any input values (GradCheck builds it 1 + 2n times). Every step applies one op to
/// earlier results; the ops are arranged to stay inside their domains (log of x² + 0.5, division by
/// x² + 1, ...) so any input point is valid.
/// </summary>
internal sealed class RandomExpression
{
    private enum Kind { Add, Sub, Mul, Div, Tanh, Sigmoid, ExpOfTanh, LogOfSquare, PowInt, PowPositive, Relu, AffineConst, ConstDiv }

    private readonly record struct Step(Kind Kind, int A, int B, double C);

    private readonly Step[] steps;

    public RandomExpression(Random random, int inputs, int length)
    {
        Inputs = inputs;
        steps = new Step[length];
        var kinds = Enum.GetValues<Kind>();
        for (int i = 0; i < length; i++)
        {
            int available = inputs + i;
            // Prefer recent results so the expression is deep rather than a flat sum of inputs.
            int a = Math.Max(0, available - 1 - random.Next(Math.Min(available, 4)));
            int b = random.Next(available);
            var kind = kinds[random.Next(kinds.Length)];
            double c = kind switch
            {
                Kind.PowInt => random.Next(2, 4),
                Kind.PowPositive => Math.Round(random.NextDouble() * 4.5 - 2, 2),
                _ => Math.Round(random.NextDouble() * 4 - 2, 2),
            };
            steps[i] = new Step(kind, a, b, c);
        }
    }

    public int Inputs { get; }

    public Value Build(Value[] x)
    {
        var v = new List<Value>(x);
        foreach (var s in steps)
        {
            Value a = v[s.A], b = v[s.B];
            v.Add(s.Kind switch
            {
                Kind.Add => a + b,
                Kind.Sub => a - b,
                Kind.Mul => a.Tanh() * b,            // tanh keeps repeated products bounded
                Kind.Div => a / (b * b + 1),
                Kind.Tanh => a.Tanh(),
                Kind.Sigmoid => a.Sigmoid(),
                Kind.ExpOfTanh => a.Tanh().Exp(),
                Kind.LogOfSquare => (a * a + 0.5).Log(),
                Kind.PowInt => a.Tanh().Pow(s.C) + b,
                Kind.PowPositive => (a * a + 0.5).Pow(s.C),
                Kind.Relu => (a + s.C).Relu() * b,
                Kind.AffineConst => s.C * a + b,
                Kind.ConstDiv => s.C / (a.Sigmoid() + 0.1),
                _ => throw new InvalidOperationException(),
            });
        }
        return v[^1];
    }

    public override string ToString() => string.Join(" ; ", steps.Select(s => $"{s.Kind}({s.A},{s.B},{s.C})"));
}
