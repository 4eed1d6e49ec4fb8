using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Api.Tests;

public sealed class ApiOptionsTests
{
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    [InlineData("02:00:00")]
    public void AStalledClientTimeoutOutsideZeroToOneHourIsRefusedNamingTheSetting(string value)
    {
        var options = new ApiOptions { StalledClientTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.Contains(results, r => r.ErrorMessage!.Contains("Api:StalledClientTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void TheStalledClientTimeoutDefaultsToThirtySeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(30), new ApiOptions().StalledClientTimeout);
}
