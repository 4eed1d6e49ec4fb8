using System.Net;
using System.Text.RegularExpressions;

namespace EdgeLlm.Api.Tests.WebConsole;

/// <summary>
/// What a browser does with the console, at the HTTP level: keeps cookies, never follows redirects on its own (the
/// tests look at them), reads the forms' and the page's anti-forgery tokens.
/// </summary>
internal sealed partial class ConsoleBrowser : IDisposable
{
    private readonly HttpClient _client;

    public ConsoleBrowser(Uri address)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = address };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Client => _client;

    public string? SessionCookie => Cookies.GetCookies(_client.BaseAddress!).FirstOrDefault(c => c.Name == "edgellm_console")?.Value;

    /// <summary>Opens the sign-in page and posts <paramref name="key"/> with the form's token; returns the answer.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string key)
    {
        var form = await _client.GetStringAsync("/console/signin");
        var token = FormToken().Match(form).Groups[1].Value;
        return await _client.PostAsync("/console/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = token, ["key"] = key }));
    }

    /// <summary>A signed-in page's anti-forgery token (its meta tag).</summary>
    public async Task<string> PageTokenAsync()
    {
        var page = await _client.GetStringAsync("/console");
        return PageToken().Match(page).Groups[1].Value;
    }

    public async Task<HttpResponseMessage> SignOutAsync()
    {
        var token = await PageTokenAsync();
        return await _client.PostAsync("/console/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = token }));
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\">")]
    private static partial Regex PageToken();
}
