using System.Globalization;
using System.Text.Json;
using Nabla.NN;

namespace Nabla.Cli.Models;

/// <summary>
/// What is needed to rebuild a trained convolutional classifier: the input image shape, the conv blocks, the dense
/// head, the classes, the data set and the input normalization.
/// </summary>
/// <param name="Channels">C of the input images.</param>
/// <param name="Height">H of the input images.</param>
/// <param name="Width">W of the input images.</param>
/// <param name="ConvChannels">Output channels of each conv block: conv 3x3 (padding 1), BatchNorm2d, ReLU, max-pool 2.</param>
/// <param name="Hidden">Width of the hidden dense layer.</param>
/// <param name="Dropout">Dropout probability before the dense layers.</param>
/// <param name="ClassNames">One name per class.</param>
/// <param name="Dataset">The data set it was trained on, as named on the command line.</param>
/// <param name="Mean">Per input channel, subtracted from pixels in [0, 1].</param>
/// <param name="Std">Per input channel, divides the centred pixels.</param>
internal sealed record CnnSpec(int Channels, int Height, int Width, int[] ConvChannels, int Hidden, double Dropout,
                               string[] ClassNames, string Dataset, float[] Mean, float[] Std)
{
    /// <summary>The network as PyTorch's <c>nn.Sequential</c> would name it (<c>0.weight</c> is the first conv).</summary>
    /// <remarks>
    /// For C = 1, 28 x 28 and conv channels 32, 64: conv(1->32)-BN-ReLU-maxpool, conv(32->64)-BN-ReLU-maxpool,
    /// flatten to 64*7*7, dropout, linear(3136->128)-ReLU, linear(128->10). The convs have no bias: the batch norm
    /// right after them subtracts the channel mean, which would cancel it.
    /// </remarks>
    /// <exception cref="ArgumentException">The image is too small for the pooling, or a size is not positive.</exception>
    public Sequential Build(Generator? generator = null)
    {
        Validate();
        var model = new Sequential();
        int channels = Channels, h = Height, w = Width;
        foreach (int c in ConvChannels)
        {
            model.Add(new Conv2d(channels, c, 3, padding: 1, bias: false, generator: generator));    // (B, c, h, w)
            model.Add(new BatchNorm2d(c));
            model.Add(new ReLU());
            model.Add(new MaxPool2d(2));                                                            // (B, c, h/2, w/2)
            (channels, h, w) = (c, h / 2, w / 2);
        }
        model.Add(new Flatten());                                                                    // (B, c*h*w)
        model.Add(new Dropout(Dropout, generator));
        model.Add(new Linear(channels * h * w, Hidden, generator: generator));
        model.Add(new ReLU());
        model.Add(new Linear(Hidden, ClassNames.Length, generator: generator));                      // logits (B, classes)
        return model;
    }

    /// <summary>The features after the conv blocks, e.g. 64*7*7 for 28 x 28 images.</summary>
    public int FlatFeatures
    {
        get
        {
            int h = Height, w = Width;
            foreach (int _ in ConvChannels) (h, w) = (h / 2, w / 2);
            return ConvChannels[^1] * h * w;
        }
    }

    private void Validate()
    {
        if (Channels < 1 || Height < 1 || Width < 1)
            throw new ArgumentException($"CNN: the input shape must be positive, got ({Channels}, {Height}, {Width}).");
        if (ConvChannels.Length == 0 || ConvChannels.Any(c => c < 1))
            throw new ArgumentException($"CNN: conv channels must be one or more positive counts, got [{string.Join(", ", ConvChannels)}].");
        if (Hidden < 1) throw new ArgumentException($"CNN: the hidden width must be positive, got {Hidden}.");
        if (ClassNames.Length < 2) throw new ArgumentException($"CNN: at least 2 classes are needed, got {ClassNames.Length}.");
        if (Mean.Length != Channels || Std.Length != Channels || Std.Any(s => !(s > 0)))
            throw new ArgumentException($"CNN: mean and std need one value per input channel ({Channels}) and std > 0, got [{string.Join(", ", Mean)}] and [{string.Join(", ", Std)}].");
        int smallest = 1 << ConvChannels.Length;
        if (Height < smallest || Width < smallest)
            throw new ArgumentException(
                $"CNN: a {Height}x{Width} image is too small for {ConvChannels.Length} blocks with 2x2 max-pooling (at least {smallest}x{smallest}).");
    }
}

/// <summary>
/// A trained convolutional classifier on disk: one safetensors file with the weights under <c>model.</c> + PyTorch's
/// names and the architecture (<see cref="CnnSpec"/>) as JSON under the <c>nabla.cnn</c> metadata key.
/// </summary>
/// <remarks>
/// To score images with a trained file:
/// <code>
/// var cnn = CnnModelFile.Load("out/train/model.safetensors");
/// var (c, h, w) = cnn.InputShape;                     // (1, 28, 28) for Fashion-MNIST
/// Tensor p = cnn.Probabilities(images);               // images (N, C, H, W) or (N, C*H*W), pixels in [0, 1]
/// </code>
/// </remarks>
internal sealed class CnnModelFile : IClassifierFile
{
    /// <summary>The metadata key holding the spec.</summary>
    public const string SpecKey = "nabla.cnn";

    public required CnnSpec Spec { get; init; }

    /// <summary>The network; logits (N, classes) from normalized images (N, C, H, W).</summary>
    public required Sequential Model { get; init; }

    /// <summary>The image shape the model takes, (C, H, W).</summary>
    public (int C, int H, int W) InputShape => (Spec.Channels, Spec.Height, Spec.Width);

    /// <inheritdoc/>
    public int[] SampleShape => [Spec.Channels, Spec.Height, Spec.Width];

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => Spec.ClassNames;

    /// <inheritdoc/>
    public string Dataset => Spec.Dataset;

    /// <inheritdoc/>
    public string Description => Describe(Spec);

    /// <summary>
    /// Normalizes raw pixels in [0, 1]: (x - mean_c) / std_c per channel c. Takes (N, C, H, W), (N, C*H*W) rows, or one
    /// (C, H, W) image; returns (N, C, H, W).
    /// </summary>
    /// <exception cref="ArgumentException">The images do not have the model's shape (the message gives both).</exception>
    public Tensor Preprocess(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var (c, h, w) = InputShape;
        var shape = pixels.Shape.ToArray();
        bool fits = shape.Length switch
        {
            4 => shape[1] == c && shape[2] == h && shape[3] == w,
            3 => shape[0] == c && shape[1] == h && shape[2] == w,
            2 => shape[1] == c * h * w,
            _ => false,
        };
        if (!fits)
            throw new ArgumentException(
                $"{Describe(Spec)}: expected images shaped (N, {c}, {h}, {w}), (N, {c * h * w}) or ({c}, {h}, {w}), got ({string.Join(", ", shape)}).");
        var images = pixels.Reshape(-1, c, h, w);                                                   // (N, C, H, W)
        var mean = Tensor.FromArray(Spec.Mean, c, 1, 1).To(images.DType);
        var std = Tensor.FromArray(Spec.Std, c, 1, 1).To(images.DType);
        return (images - mean) / std;
    }

    /// <summary>Class probabilities (N, classes) for raw pixels in [0, 1], in evaluation mode and without gradients.</summary>
    public Tensor Probabilities(Tensor pixels)
    {
        using var _ = Tensor.NoGrad();
        Model.Eval();
        return Model.Forward(Preprocess(pixels)).Softmax(1);
    }

    /// <summary>Writes the file (atomically: a temporary file, then a rename).</summary>
    public void Save(string path) => ModelFileFormat.Save(path, SpecKey, JsonSerializer.Serialize(Spec), Model, []);

    /// <summary>Reads a file written by <see cref="Save"/>; the model comes back in evaluation mode.</summary>
    /// <exception cref="InvalidDataException">Not a CNN file (e.g. an MLP's), or the weights do not fit its architecture.</exception>
    public static CnnModelFile Load(string path)
    {
        var (file, json) = ModelFileFormat.Open(path, SpecKey, "CNN");
        CnnSpec spec;
        Sequential model;
        try
        {
            spec = JsonSerializer.Deserialize<CnnSpec>(json) ?? throw new InvalidDataException($"{path}: the '{SpecKey}' metadata is empty.");
            model = spec.Build();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NullReferenceException)
        {
            throw new InvalidDataException($"{path}: the '{SpecKey}' metadata does not describe a CNN: {e.Message}", e);
        }
        ModelFileFormat.LoadWeights(file, path, model);
        model.Eval();
        return new CnnModelFile { Spec = spec, Model = model };
    }

    /// <summary>One line, e.g. "CNN 1x28x28 conv 32-64, dense 128, 10 classes for fashion-mnist".</summary>
    public static string Describe(CnnSpec spec) => string.Create(CultureInfo.InvariantCulture,
        $"CNN {spec.Channels}x{spec.Height}x{spec.Width} conv {string.Join("-", spec.ConvChannels)}, dense {spec.Hidden}, {spec.ClassNames.Length} classes for {spec.Dataset}");
}
