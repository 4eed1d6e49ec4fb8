using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Retrieval.Tests.Support;

/// <summary>A logger that keeps the event ids it was given, so a test can wait for one and assert what happened.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<int> _events = new();

    public IReadOnlyList<int> Events => [.. _events];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _events.Enqueue(eventId.Id);
}
