using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Authentication.Sessions;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Tests.Authentication.Sessions;

public sealed class RequestForgeryGuardTests
{
    private static readonly BrowserSession Session = new(
        new ApiKeyInfo("abc", "operator", "ops", [ApiScopes.Admin], DateTimeOffset.UnixEpoch, null, null), "the-token", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);

    [Fact]
    public void TheSessionsTokenFromItsOwnOriginPasses() =>
        Assert.Null(RequestForgeryGuard.Refusal(Request(token: "the-token", origin: "http://device.lan:8080"), Session));

    [Fact]
    public void TheTokenWithoutAnOriginPasses() =>
        Assert.Null(RequestForgeryGuard.Refusal(Request(token: "the-token", origin: null), Session));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("the-token ")]
    [InlineData("THE-TOKEN")]
    [InlineData("another-token")]
    public void AMissingOrWrongTokenIsRefused(string? token) =>
        Assert.Equal("missing or wrong anti-forgery token", RequestForgeryGuard.Refusal(Request(token, origin: null), Session));

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("https://device.lan:8080")]
    [InlineData("http://device.lan:8081")]
    [InlineData("null")]
    public void AForeignOriginIsRefusedEvenWithTheToken(string origin) =>
        Assert.Equal("foreign origin", RequestForgeryGuard.Refusal(Request("the-token", origin), Session));

    [Fact]
    public void TwoTokenHeadersAreRefused()
    {
        var request = Request(token: "the-token", origin: null);
        request.Headers.Append(BrowserSession.CsrfHeader, "the-token");
        Assert.NotNull(RequestForgeryGuard.Refusal(request, Session));
    }

    private static HttpRequest Request(string? token, string? origin)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("device.lan:8080");
        if (token is not null)
        {
            context.Request.Headers[BrowserSession.CsrfHeader] = token;
        }

        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return context.Request;
    }
}
