using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace EdgeLlm.Benchmarks.Daemon;

/// <summary>
/// Posts a streamed request and hands back its body as lines to read, with the moment just before it was sent; a
/// refusal is an exception carrying the status and the body. Shared by the SSE and NDJSON readers.
/// </summary>
internal sealed class StreamRequest : IDisposable
{
    private readonly HttpResponseMessage _response;

    private StreamRequest(long sent, HttpResponseMessage response, StreamReader lines)
    {
        Sent = sent;
        _response = response;
        Lines = lines;
    }

    /// <summary>Just before the request was sent, as a <see cref="Stopwatch"/> timestamp.</summary>
    public long Sent { get; }

    public StreamReader Lines { get; }

    public static async Task<StreamRequest> PostAsync(HttpClient http, string apiKey, Uri path, string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        var sent = Stopwatch.GetTimestamp();
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw new HttpRequestException($"The daemon answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        return new StreamRequest(sent, response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8));
    }

    public void Dispose()
    {
        Lines.Dispose();
        _response.Dispose();
    }
}
