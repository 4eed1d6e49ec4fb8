using System.ComponentModel.DataAnnotations;
using EdgeLlm.WebConsole;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Tests.WebConsole;

public sealed class WebConsoleOptionsTests
{
    [Fact]
    public void TheDefaultsAreValid() => Assert.Empty(Validate(new WebConsoleOptions()));

    [Theory]
    [InlineData("00:00:30", "08:00:00", "IdleTimeout")]
    [InlineData("2.00:00:00", "3.00:00:00", "IdleTimeout")]
    [InlineData("00:30:00", "00:10:00", "AbsoluteTimeout")]
    [InlineData("00:15:00", "8.00:00:00", "AbsoluteTimeout")]
    public void TimeoutsOutOfRangeAreRefused(string idle, string absolute, string member)
    {
        var errors = Validate(new WebConsoleOptions { IdleTimeout = TimeSpan.Parse(idle, System.Globalization.CultureInfo.InvariantCulture), AbsoluteTimeout = TimeSpan.Parse(absolute, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains(errors, e => e.MemberNames.Contains(member));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheSessionCookieIsSecureExactlyUnderTls(bool https)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = https ? "https" : "http";
        var endsAt = DateTimeOffset.UnixEpoch.AddDays(1);

        var cookie = SignInEndpoints.SessionCookie(context.Request, endsAt);

        Assert.Equal(https, cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Strict, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.Equal(endsAt, cookie.Expires);
    }

    private static List<ValidationResult> Validate(WebConsoleOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
