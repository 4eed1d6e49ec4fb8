using System.Diagnostics;
using System.Globalization;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>The time HTML parsing of one document may take, checked from inside AngleSharp.</summary>
internal sealed class ParseDeadline
{
    private const int BytesPerMebibyte = 1024 * 1024;

    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private readonly TimeSpan _allowance;

    private ParseDeadline(TimeSpan allowance) => _allowance = allowance;

    /// <summary>Starts the clock for a document of <paramref name="characters"/> characters.</summary>
    public static ParseDeadline For(int characters, DocumentParsingLimits limits) =>
        new(limits.HtmlParseTimePerMebibyte * Math.Max(1.0, (double)characters / BytesPerMebibyte));

    /// <exception cref="DocumentLimitExceededException">The allowance is spent.</exception>
    public void Check()
    {
        if (Stopwatch.GetElapsedTime(_startedAt) > _allowance)
        {
            throw new DocumentLimitExceededException(
                DocumentRejection.Malformed,
                string.Create(CultureInfo.InvariantCulture, $"The HTML is too deeply nested or complex: parsing it took longer than {_allowance.TotalSeconds:0.#} s."));
        }
    }
}
