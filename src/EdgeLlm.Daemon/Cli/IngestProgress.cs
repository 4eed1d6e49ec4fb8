using System.Globalization;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// The progress of <c>edgellm ingest</c>: a bar redrawn in place on a terminal, plain lines otherwise (logs,
/// CI). Failures are always printed on their own line with the daemon's reason.
/// </summary>
internal sealed class IngestProgress(int total, TextWriter output, bool interactive)
{
    private const int Width = 30;
    private int _done;

    public int Failed { get; private set; }

    public void Working(IngestFile file, int doneChunks, int totalChunks)
    {
        if (interactive)
        {
            Draw($"{Path.GetFileName(file.Path)} {doneChunks}/{totalChunks} chunks");
        }
    }

    public void Finished(IngestFile file, string? error)
    {
        _done++;
        if (error is not null)
        {
            Failed++;
            Line($"failed  {file.Path}: {error}");
        }
        else if (!interactive)
        {
            Line($"ok      {file.Path} (document {file.DocumentId})");
        }

        if (interactive)
        {
            Draw("");
        }
    }

    public void Finish()
    {
        Line(string.Create(CultureInfo.InvariantCulture, $"{_done - Failed} of {total} documents ingested{(Failed > 0 ? $", {Failed} failed" : "")}."));
    }

    private void Draw(string detail)
    {
        var filled = total == 0 ? Width : _done * Width / total;
        var line = string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {_done}/{total} {detail}");
        output.Write(line.PadRight(100));
    }

    private void Line(string text)
    {
        output.WriteLine(interactive ? "\r" + text.PadRight(100) : text);
    }
}
