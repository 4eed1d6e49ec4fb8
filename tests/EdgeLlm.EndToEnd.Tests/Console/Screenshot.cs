namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>What makes a screenshot worth showing: a PNG at the viewport's size with something drawn on it.</summary>
internal static class Screenshot
{
    /// <summary>Fails unless <paramref name="file"/> is a PNG of <paramref name="width"/>×<paramref name="height"/> whose second most common colour covers at least 0.2 % of it.</summary>
    public static void AssertDrawn(byte[] file, int width, int height)
    {
        Assert.True(PngImage.HasSignature(file), "The screenshot is not a PNG.");
        var image = PngImage.Decode(file);
        Assert.Equal((width, height), (image.Width, image.Height));
        var colours = image.Pixels.CountBy(p => p).Select(c => c.Value).OrderDescending().ToList();
        var drawn = colours.Count > 1 ? colours.Skip(1).Sum() / (double)image.Pixels.Count : 0;
        Assert.True(colours.Count >= 8 && drawn >= 0.002, $"The screenshot looks blank: {colours.Count} colours, {drawn:P1} of it off the background.");
    }
}
