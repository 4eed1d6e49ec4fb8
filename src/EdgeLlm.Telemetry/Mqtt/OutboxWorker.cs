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
        TelemetryMetrics.Baseline();
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
                var connected = false;
                try
                {
                    await uplink.ConnectAsync(stoppingToken);
                    connected = true;
                    TelemetryMetrics.ConnectAttempt(succeeded: true);
                    TelemetryLog.Connected(logger, options.BrokerHost, options.EffectiveBrokerPort, uplink.ClientId);
                    backoff.Reset();
                    await DrainAsync(uplink, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    // Whatever failed, the records are safe in the outbox: wait, then connect afresh. A fault
                    // that is not the network's (the outbox's disk, a bug) is logged as an error, never let
                    // out to stop the host: telemetry must not take inference down with it.
                    var reason = Describe(ex);
                    status.Update(s => s with { Connected = false, LastError = reason });
                    if (!IsLinkFailure(ex))
                    {
                        TelemetryLog.UplinkFaulted(logger, ex);
                    }
                    else if (connected)
                    {
                        TelemetryLog.LinkLost(logger, reason);
                    }
                    else
                    {
                        TelemetryMetrics.ConnectAttempt(succeeded: false);
                    }

                    var delay = backoff.NextDelay();
                    LogRetry(backoff.Failures, delay, reason);
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

    /// <summary>Warns at the first failures, then at each doubling of their count, so a site offline for days logs a handful of lines a day.</summary>
    private void LogRetry(int failures, TimeSpan delay, string reason)
    {
        if ((failures & (failures - 1)) == 0)
        {
            TelemetryLog.ConnectFailed(logger, options.BrokerHost, options.EffectiveBrokerPort, failures, (long)delay.TotalMilliseconds, reason);
        }
        else
        {
            TelemetryLog.ConnectRetry(logger, failures, (long)delay.TotalMilliseconds, reason);
        }
    }

    private static bool IsLinkFailure(Exception ex) =>
        ex is MqttCommunicationException or MqttUplinkException or OperationCanceledException or IOException or System.Net.Sockets.SocketException
            or System.Security.Authentication.AuthenticationException;

    private static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "timed out",
        _ when ex.InnerException is { } inner => $"{ex.Message} ({inner.Message})",
        _ => ex.Message,
    };
}
