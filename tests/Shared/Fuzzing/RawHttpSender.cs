using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace EdgeLlm.Testing.Fuzzing;

/// <summary>
/// Sends a request written by hand over a plain TCP connection (HTTP/1.1, <c>Connection: close</c>): the path goes
/// on the request line as written, and a body may stop short of its <c>Content-Length</c>. Reads the answer to the end.
/// </summary>
internal static class RawHttpSender
{
    public static async Task<FuzzResponse> SendAsync(Uri baseAddress, string? authorization, FuzzCase fuzzCase, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, deadline.Token);
        var stream = client.GetStream();
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{fuzzCase.Method.Method} {fuzzCase.RawPath} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {baseAddress.Authority}\r\n")
            .Append("Connection: close\r\n");
        if (authorization is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Authorization: {authorization}\r\n");
        }

        if (fuzzCase.ContentType is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Type: {fuzzCase.ContentType}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {fuzzCase.DeclaredLength ?? fuzzCase.Body.Length}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), deadline.Token);
        await stream.WriteAsync(fuzzCase.Body, deadline.Token);
        if (fuzzCase.DeclaredLength is not null)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer, deadline.Token);
        return Parse(answer.ToArray());
    }

    private static FuzzResponse Parse(byte[] raw)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return new FuzzResponse(0, null, raw, Complete: false);
        }

        var lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        var status = lines[0].Split(' ') is [_, var code, ..] && int.TryParse(code, CultureInfo.InvariantCulture, out var s) ? s : 0;
        string? Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();
        var body = raw[(end + 4)..];
        if (Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            body = Dechunk(body);
        }

        return new FuzzResponse(status, Header("Content-Type"), body, Complete: true);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var output = new MemoryStream();
        var at = 0;
        while (at < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8);
            if (lineEnd < 0 || !int.TryParse(Encoding.ASCII.GetString(chunked, at, lineEnd).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            at += lineEnd + 2;
            output.Write(chunked, at, Math.Min(size, chunked.Length - at));
            at += size + 2;
        }

        return output.ToArray();
    }
}

/// <summary>An answer: status, <c>Content-Type</c> and body (<paramref name="Complete"/> false when the connection ended before the headers did).</summary>
internal sealed record FuzzResponse(int Status, string? ContentType, byte[] Body, bool Complete = true);
