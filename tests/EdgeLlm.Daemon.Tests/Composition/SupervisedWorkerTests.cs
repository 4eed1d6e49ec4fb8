using EdgeLlm.Api.Lifecycle;
using EdgeLlm.Daemon.Composition;
using EdgeLlm.Daemon.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Daemon.Tests.Composition;

public sealed class SupervisedWorkerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly DaemonOptions _options = new() { WorkerRestartDelay = TimeSpan.FromSeconds(1), WorkerRestartMaxDelay = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task AWorkerThatThrowsIsRestartedAfterABackOffThatDoublesAndRunsOnOnceItStopsFailing()
    {
        using var worker = new FailingWorker(failures: 2);
        var states = new WorkerStates(_time);
        var record = states.Add(nameof(FailingWorker));
        using var supervised = new SupervisedWorker(worker, record, _options, _time, new CapturingLogger<SupervisedWorker>());

        await supervised.StartAsync(CancellationToken.None);
        await Until(() => record.Status.Restarts == 1);
        var afterFirst = record.Status;
        // The first back-off is 1 s ± 20 %: past it, the second start fails too.
        _time.Advance(TimeSpan.FromSeconds(1.2));
        await Until(() => record.Status.Restarts == 2);
        // The second is 2 s ± 20 %, so at 1.5 s the worker still waits.
        _time.Advance(TimeSpan.FromSeconds(1.5));
        await Task.Delay(100);
        var startsWhileWaiting = worker.Starts;
        _time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => record.Status.State == WorkerState.Running && worker.Starts == 3);

        Assert.Equal(WorkerState.Restarting, afterFirst.State);
        Assert.Equal("InvalidOperationException", afterFirst.LastErrorType);
        Assert.Equal("Could not open <path>: the disk is gone", afterFirst.LastErrorMessage);
        Assert.Equal(2, startsWhileWaiting);
        Assert.Equal(2, states.Workers.Single().Restarts);
        Assert.Equal(WorkerState.Running, states.Workers.Single().State);
    }

    [Fact]
    public async Task AWorkerThatReturnsIsLeftCompletedAndStoppingItCancelsItsLoop()
    {
        using var finishing = new FinishingWorker();
        using var running = new FailingWorker(failures: 0);
        var states = new WorkerStates(_time);
        using var once = new SupervisedWorker(finishing, states.Add(nameof(FinishingWorker)), _options, _time, new CapturingLogger<SupervisedWorker>());
        using var loop = new SupervisedWorker(running, states.Add(nameof(FailingWorker)), _options, _time, new CapturingLogger<SupervisedWorker>());

        await once.StartAsync(CancellationToken.None);
        await loop.StartAsync(CancellationToken.None);
        await Until(() => states.Workers[0].State == WorkerState.Completed && running.Starts == 1);
        _time.Advance(TimeSpan.FromMinutes(10));
        await loop.StopAsync(CancellationToken.None);

        Assert.Equal(1, finishing.Starts);
        Assert.Equal(0, states.Workers[0].Restarts);
        Assert.Equal(WorkerState.Stopped, states.Workers[1].State);
        Assert.True(running.WasCancelled);
    }

    [Fact]
    public void AnErrorMessageShownOnTheStatusPageHasNoPaths()
    {
        Assert.Equal("Could not find file '<path>'.", WorkerRecord.WithoutPaths("Could not find file '/var/lib/edgellm/outbox.db'."));
        Assert.Equal("Access to <path> is denied", WorkerRecord.WithoutPaths(@"Access to C:\edgellm\state.db is denied"));
        Assert.Equal("no path here", WorkerRecord.WithoutPaths("no path here"));
    }

    private static async Task Until(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(10, patience.Token);
        }
    }

    /// <summary>Throws on its first <c>failures</c> starts, then runs until stopped.</summary>
    private sealed class FailingWorker(int failures) : BackgroundService
    {
        private int _starts;

        public int Starts => Volatile.Read(ref _starts);

        public bool WasCancelled { get; private set; }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (Interlocked.Increment(ref _starts) <= failures)
            {
                await Task.Yield();
                throw new InvalidOperationException("Could not open /var/lib/edgellm/retrieval.db: the disk is gone");
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                WasCancelled = true;
            }
        }
    }

    private sealed class FinishingWorker : BackgroundService
    {
        private int _starts;

        public int Starts => Volatile.Read(ref _starts);

        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            Interlocked.Increment(ref _starts);
            return Task.CompletedTask;
        }
    }
}
