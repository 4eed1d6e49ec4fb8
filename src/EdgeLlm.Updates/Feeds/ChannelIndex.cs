using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeLlm.Updates.Bundles;

namespace EdgeLlm.Updates.Feeds;

/// <summary>
/// A publisher's short-lived, signed statement about a channel: its newest bundle sequence, when that was said and
/// until when it holds. Re-issued often (say daily, valid two days), it lets a device tell a fresh feed from one
/// frozen in the past: a server that answers 304 forever cannot produce a new one.
/// </summary>
public sealed record ChannelIndex(string Channel, long Sequence, DateTimeOffset Issued, DateTimeOffset Expires);

/// <summary><c>channel.json</c> beside <c>manifest.json</c>, signed with the stock <c>minisign -Sm channel.json</c>; read strictly.</summary>
public static class ChannelIndexFile
{
    public const string FileName = "channel.json";
    public const string SignatureFile = "channel.json.minisig";
    public const int MaxBytes = 4096;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 4,
        NumberHandling = JsonNumberHandling.Strict,
        WriteIndented = true,
    };

    public static ChannelIndex? TryRead(ReadOnlySpan<byte> json, out string? error)
    {
        if (json.Length > MaxBytes)
        {
            error = $"{FileName} is larger than {MaxBytes} bytes";
            return null;
        }

        IndexDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<IndexDto>(json, Json);
        }
        catch (JsonException ex)
        {
            error = $"{FileName} is not a channel index: " + ex.Message;
            return null;
        }

        error = dto switch
        {
            null => $"{FileName} is empty",
            { Channel: var channel } when !BundleManifestReader.IsSafeName(channel) => "channel must be 1-128 of letters, digits, '.', '_' or '-'",
            { Sequence: not > 0 } => "sequence must be a positive integer",
            { Issued: null } or { Expires: null } => "issued and expires are required",
            _ when dto.Expires <= dto.Issued => "expires must be after issued",
            _ => null,
        };
        return error is null ? new ChannelIndex(dto!.Channel!, dto.Sequence!.Value, dto.Issued!.Value, dto.Expires!.Value) : null;
    }

    /// <summary>Writes <c>channel.json</c> into <paramref name="directory"/> and removes a signature left from the previous one (it no longer matches).</summary>
    public static async Task<string> WriteAsync(ChannelIndex index, string directory, CancellationToken cancellationToken)
    {
        var problem = TryRead(JsonSerializer.SerializeToUtf8Bytes(new IndexDto(index), Json), out var error) is null ? error : null;
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(index));
        }

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        File.Delete(Path.Combine(directory, SignatureFile));
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(new IndexDto(index), Json), cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private sealed class IndexDto
    {
        public IndexDto()
        {
        }

        public IndexDto(ChannelIndex index) => (Channel, Sequence, Issued, Expires) = (index.Channel, index.Sequence, index.Issued, index.Expires);

        public string? Channel { get; set; }

        public long? Sequence { get; set; }

        public DateTimeOffset? Issued { get; set; }

        public DateTimeOffset? Expires { get; set; }
    }
}
