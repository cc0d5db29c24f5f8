using System.Globalization;
using System.Text;

namespace Nabla.Viz;

/// <summary>
/// Tiles a batch of images into one picture: filters of a convolution layer, feature maps, generated samples.
/// Written as PNG or SVG, chosen by the file's extension.
/// </summary>
public static class ImageGrid
{
    /// <summary>
    /// Writes <paramref name="images"/> as a grid. Accepted shapes: (N, H, W) and (N, 1, H, W) for grayscale,
    /// (N, 3, H, W) for colour.
    /// </summary>
    /// <param name="path">Output file; <c>.png</c> or <c>.svg</c>.</param>
    /// <param name="images">The images; any real values (they are scaled to 0..255).</param>
    /// <param name="columns">Images per row; 0 picks a near-square grid.</param>
    /// <param name="padding">Pixels between images (and around the grid), drawn in the background grey.</param>
    /// <param name="scale">Each image pixel becomes a scale x scale block, so that 3x3 filters are visible.</param>
    /// <param name="perImageScaling">
    /// True maps each image's own minimum to black and maximum to white (filters and feature maps differ in range);
    /// false uses the batch's range, so that images stay comparable (generated samples).
    /// </param>
    public static void Save(string path, Tensor images, int columns = 0, int padding = 2, int scale = 1, bool perImageScaling = true)
    {
        var grid = Render(images, columns, padding, scale, perImageScaling);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".png":
                if (grid.Channels == 1) Png.SaveGray(path, grid.Pixels, grid.Width, grid.Height);
                else Png.SaveRgb(path, grid.Pixels, grid.Width, grid.Height);
                break;
            case ".svg":
                SaveSvg(path, grid);
                break;
            default:
                throw new ArgumentException($"ImageGrid.Save: '{path}' must end in .png or .svg.", nameof(path));
        }
    }

    /// <summary>The tiled picture as bytes, row by row, 1 or 3 channels.</summary>
    /// <param name="Pixels">Row-major pixels, <c>Channels</c> bytes each.</param>
    /// <param name="Width">Width in pixels.</param>
    /// <param name="Height">Height in pixels.</param>
    /// <param name="Channels">1 (grayscale) or 3 (RGB).</param>
    public readonly record struct Picture(byte[] Pixels, int Width, int Height, int Channels);

    /// <summary>Tiles the images into pixels without writing a file (see <see cref="Save"/> for the arguments).</summary>
    public static Picture Render(Tensor images, int columns = 0, int padding = 2, int scale = 1, bool perImageScaling = true)
    {
        ArgumentNullException.ThrowIfNull(images);
        var (count, channels, height, width) = ImageLayout(images);
        if (columns < 0) throw new ArgumentOutOfRangeException(nameof(columns), $"ImageGrid: columns must be 0 (automatic) or positive, got {columns}.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"ImageGrid: padding must be non-negative, got {padding}.");
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), $"ImageGrid: scale must be at least 1, got {scale}.");

        int cols = columns > 0 ? Math.Min(columns, count) : (int)Math.Ceiling(Math.Sqrt(count));
        int rows = (count + cols - 1) / cols;
        int cellW = width * scale, cellH = height * scale;
        int gridW = cols * cellW + (cols + 1) * padding, gridH = rows * cellH + (rows + 1) * padding;
        var pixels = new byte[gridW * gridH * channels];
        Array.Fill(pixels, (byte)96); // background grey: tells padding apart from black and white pixels

        float[] values = images.Contiguous().ToArray();
        int imageSize = channels * height * width;
        var (batchMin, batchMax) = Range(values);
        for (int n = 0; n < count; n++)
        {
            var image = values.AsSpan(n * imageSize, imageSize);
            var (lo, hi) = perImageScaling ? Range(image) : (batchMin, batchMax);
            float factor = hi > lo ? 255f / (hi - lo) : 0f;
            int left = padding + (n % cols) * (cellW + padding), top = padding + (n / cols) * (cellH + padding);
            for (int y = 0; y < cellH; y++)
            {
                int row = (top + y) * gridW;
                for (int x = 0; x < cellW; x++)
                {
                    int source = (y / scale) * width + x / scale, target = (row + left + x) * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        // Constant images (factor 0) show mid grey rather than black, so they do not look "off".
                        float v = factor == 0f ? 127.5f : (image[c * height * width + source] - lo) * factor;
                        pixels[target + c] = (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
                    }
                }
            }
        }
        return new Picture(pixels, gridW, gridH, channels);
    }

    private static (int Count, int Channels, int Height, int Width) ImageLayout(Tensor images)
    {
        var s = images.Shape;
        if (s.Count == 3 && s[0] > 0 && s[1] > 0 && s[2] > 0) return (s[0], 1, s[1], s[2]);
        if (s.Count == 4 && (s[1] == 1 || s[1] == 3) && s[0] > 0 && s[2] > 0 && s[3] > 0) return (s[0], s[1], s[2], s[3]);
        throw new ArgumentException(
            $"ImageGrid: expected images shaped (N, H, W), (N, 1, H, W) or (N, 3, H, W) with no empty dimension, got ({string.Join(", ", s)}).",
            nameof(images));
    }

    private static (float Min, float Max) Range(ReadOnlySpan<float> values)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue; // a NaN pixel must not turn the whole image grey
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        return lo <= hi ? (lo, hi) : (0f, 0f);
    }

    /// <summary>SVG with the picture embedded as a PNG data URI: one small file any browser shows crisply.</summary>
    private static void SaveSvg(string path, Picture grid)
    {
        byte[] png = grid.Channels == 1 ? Png.EncodeGray(grid.Pixels, grid.Width, grid.Height) : Png.EncodeRgb(grid.Pixels, grid.Width, grid.Height);
        var svg = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{grid.Width}\" height=\"{grid.Height}\" viewBox=\"0 0 {grid.Width} {grid.Height}\">")
            .Append(CultureInfo.InvariantCulture, $"<image width=\"{grid.Width}\" height=\"{grid.Height}\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(png))
            .Append("\"/></svg>\n")
            .ToString();
        Nabla.IO.AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(svg)));
    }
}
