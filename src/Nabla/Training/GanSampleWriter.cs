using System.Globalization;
using Nabla.Viz;

namespace Nabla.Training;

/// <summary>
/// After every epoch, generates samples from one fixed noise batch (so that the pictures of successive epochs show
/// the same latent points as the generator learns) and hands them to a writer: an image grid per epoch
/// (<see cref="ImageGrids"/>) or anything else, such as a scatter plot for 2-D data.
/// </summary>
public sealed class GanSampleWriter : GanCallback
{
    private readonly Action<int, Tensor> write;

    /// <summary>Creates the callback.</summary>
    /// <param name="fixedNoise">The noise batch, (N, latent...), drawn once.</param>
    /// <param name="write">Called with the epoch and G(fixedNoise) (evaluation mode, no graph).</param>
    public GanSampleWriter(Tensor fixedNoise, Action<int, Tensor> write)
    {
        ArgumentNullException.ThrowIfNull(fixedNoise);
        ArgumentNullException.ThrowIfNull(write);
        FixedNoise = fixedNoise;
        this.write = write;
    }

    /// <summary>The noise batch the samples are generated from.</summary>
    public Tensor FixedNoise { get; }

    /// <summary>The files written so far.</summary>
    public IList<string> Files { get; } = new List<string>();

    /// <summary>
    /// A writer of PNG grids <c>{folder}/epoch_001.png</c>, ... of images shaped (N, 1, H, W) or (N, 3, H, W)
    /// (see <see cref="SaveGrid"/>).
    /// </summary>
    /// <param name="fixedNoise">The noise batch.</param>
    /// <param name="folder">The folder for the images (created when missing).</param>
    /// <param name="columns">Images per row; 0 for a near-square grid.</param>
    /// <param name="scale">Each pixel becomes a scale x scale block.</param>
    public static GanSampleWriter ImageGrids(Tensor fixedNoise, string folder, int columns = 0, int scale = 1)
    {
        GanSampleWriter? self = null;
        self = new GanSampleWriter(fixedNoise, (epoch, samples) =>
        {
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"epoch_{epoch:D3}.png"));
            SaveGrid(path, samples, columns, scale);
            self!.Files.Add(path);
        });
        return self;
    }

    /// <summary>
    /// Writes generated images as a grid, scaled by the batch's range as a whole (torchvision's
    /// <c>save_image(normalize=True)</c>), so that the images of one grid compare truthfully.
    /// </summary>
    public static void SaveGrid(string path, Tensor samples, int columns = 0, int scale = 1) =>
        ImageGrid.Save(path, samples.Detach(), columns, padding: 2, scale, perImageScaling: false);

    /// <inheritdoc/>
    public override void OnEpochEnd(GanTrainer trainer, GanEpochRecord record) => write(record.Epoch, trainer.Generate(FixedNoise));
}
