namespace EdgeLlm.Api.Tests.Observability;

public sealed class PromQlMetricNamesTests
{
    [Fact]
    public void AHistogramQuantileYieldsItsBucketSeriesAndNeitherFunctionsNorLabels()
    {
        var names = PromQlMetricNames.In("""histogram_quantile(0.95, sum by (le, model) (rate(edgellm_inference_time_to_first_token_seconds_bucket{instance=~"$instance", le!="+Inf"}[$__rate_interval])))""");

        Assert.Equal(["edgellm_inference_time_to_first_token_seconds_bucket"], names);
    }

    [Fact]
    public void BothSidesOfABinaryOperationWithMatchingModifiersAreNamed()
    {
        var names = PromQlMetricNames.In("""
            edgellm_outbox_age_seconds > 3600
              and deriv(edgellm_outbox_backlog[30m]) > 0
              and on (instance, job) edgellm_uplink_connected
            / ignoring(reason) group_left(model) edgellm_storage_total_bytes offset 5m > bool 1e3
            """);

        Assert.Equal(["edgellm_outbox_age_seconds", "edgellm_outbox_backlog", "edgellm_storage_total_bytes", "edgellm_uplink_connected"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AMisspeltMetricIsReportedAsTheNameItIs()
    {
        var exported = new HashSet<string>(StringComparer.Ordinal) { "edgellm_outbox_dropped_total" };

        var unknown = PromQlMetricNames.In("""sum by (reason) (increase(edgellm_outbox_droped_total{reason="size"}[15m])) > 0""").Except(exported);

        Assert.Equal(["edgellm_outbox_droped_total"], unknown);
    }

    [Fact]
    public void ALabelValueThatLooksLikeAMetricNameIsNotOne()
    {
        var names = PromQlMetricNames.In("""count by (instance) (edgellm_worker_up{worker="OutboxWorker", job='edgellm_job'} == 0) or vector(0)""");

        Assert.Equal(["edgellm_worker_up"], names);
    }
}
