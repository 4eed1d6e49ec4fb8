using EdgeLlm.Telemetry.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Exceptions;

namespace EdgeLlm.Telemetry.Mqtt;

/// <summary>
/// Store-and-forward: connects whenever the broker answers (jittered exponential back-off while it does not),
/// then drains the outbox oldest first, one batch of consecutive records of one stream at a time, deleting a
/// batch only after its PUBACK, at most <c>DrainBytesPerSecond</c> on average. A link that fails mid-drain
/// leaves the unacknowledged batch in the outbox, to be sent again (same ids) after the reconnect.
/// </summary>
internal sealed class OutboxWorker(
    OutboxStore outbox,
    Func<MqttUplink>? uplinkFactory,
    TelemetryOptions options,
    UplinkStatus status,
    TimeProvider time,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    private static readonly TimeSpan ExpiryInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);
    private long _lastExpiry = time.GetTimestamp();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DropExpired();
        if (uplinkFactory is null)
        {
            TelemetryLog.UplinkOff(logger);
            await ExpireForeverAsync(stoppingToken);
            return;
        }

        await using var uplink = uplinkFactory();
        status.Update(s => s with { Broker = $"{options.BrokerHost}:{options.EffectiveBrokerPort}" });
        var backoff = new ReconnectBackoff(options.ReconnectDelayMin, options.ReconnectDelayMax, Random.Shared);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await uplink.ConnectAsync(stoppingToken);
                    TelemetryMetrics.ConnectAttempt(succeeded: true);
                    TelemetryLog.Connected(logger, options.BrokerHost!, options.EffectiveBrokerPort, uplink.ClientId);
                    backoff.Reset();
                    await DrainAsync(uplink, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && IsLinkFailure(ex))
                {
                    var reason = Describe(ex);
                    status.Update(s => s with { Connected = false, LastError = reason });
                    if (backoff.Failures == 0 && uplink.IsConnected is false && status.Current.LastConnected is not null)
                    {
                        TelemetryLog.LinkLost(logger, reason);
                    }

                    TelemetryMetrics.ConnectAttempt(succeeded: false);
                    var delay = backoff.NextDelay();
                    TelemetryLog.ConnectFailed(logger, options.BrokerHost!, options.EffectiveBrokerPort, backoff.Failures, (long)delay.TotalMilliseconds, reason);
                    DropExpired();
                    await Task.Delay(delay, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            using var goodbye = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await uplink.CloseAsync(goodbye.Token);
        }
    }

    private async Task DrainAsync(MqttUplink uplink, CancellationToken cancellationToken)
    {
        outbox.AppendDropReport();
        var limiter = new DrainRateLimiter(options.DrainBytesPerSecond, time);
        long records = 0;
        long batches = 0;
        while (true)
        {
            if (time.GetElapsedTime(_lastExpiry) >= ExpiryInterval)
            {
                DropExpired();
                outbox.AppendDropReport();
            }

            var pending = outbox.ReadOldest(options.BatchMaxRecords);
            if (pending.Count == 0)
            {
                if (batches > 0)
                {
                    TelemetryLog.Drained(logger, records, batches);
                    records = batches = 0;
                }

                if (!uplink.IsConnected)
                {
                    throw new MqttUplinkException("The broker closed the connection.");
                }

                await outbox.WaitForAppendAsync(IdlePoll, cancellationToken);
                continue;
            }

            var stream = pending[0].Stream;
            var run = pending.TakeWhile(r => r.Stream == stream).ToList();
            var (payload, compressed) = BatchPayload.Encode(options.Site, options.EffectiveDevice, stream, run, options.CompressionThresholdBytes);
            await uplink.PublishBatchAsync(stream, payload, compressed, cancellationToken);
            outbox.Acknowledge(run[^1].Seq);
            TelemetryMetrics.BatchSent(run.Count, payload.Length);
            records += run.Count;
            batches++;
            var wait = limiter.Sent(payload.Length);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    private async Task ExpireForeverAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(ExpiryInterval, time, cancellationToken);
                DropExpired();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void DropExpired()
    {
        _lastExpiry = time.GetTimestamp();
        var dropped = outbox.DropExpired();
        if (dropped > 0)
        {
            TelemetryLog.DroppedExpired(logger, dropped, options.OutboxMaxAge);
        }
    }

    private static bool IsLinkFailure(Exception ex) =>
        ex is MqttCommunicationException or MqttUplinkException or OperationCanceledException or IOException or System.Net.Sockets.SocketException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException;

    private static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "timed out",
        _ when ex.InnerException is { } inner => $"{ex.Message} ({inner.Message})",
        _ => ex.Message,
    };
}
