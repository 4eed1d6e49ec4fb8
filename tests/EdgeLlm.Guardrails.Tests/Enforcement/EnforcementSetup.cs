using System.Collections.Concurrent;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Guardrails.Tests.Enforcement;

/// <summary>An enforcer over one policy document, with every log event (the audit trail's included) kept.</summary>
internal sealed class EnforcementSetup
{
    public EnforcementSetup(string policy, IGuardModel? guard = null)
    {
        var store = new PolicyStore();
        Assert.True(store.TryActivate(policy, out var refusal), refusal?.ToString());
        Store = store;
        Enforcer = new GuardrailEnforcer(store, Options.Create(new GuardrailsOptions()), new CapturingLoggerFactory(Events), guard);
    }

    public PolicyStore Store { get; }

    public GuardrailEnforcer Enforcer { get; }

    /// <summary>Every logged event: category, event id and formatted message.</summary>
    public ConcurrentQueue<(string Category, int EventId, string Message)> Events { get; } = new();

    /// <summary>The audit trail's decision events, formatted.</summary>
    public IReadOnlyList<string> Decisions => Events.Where(e => e.Category == "EdgeLlm.Audit.Guardrails" && e.EventId == 8000).Select(e => e.Message).ToList();

    private sealed class CapturingLoggerFactory(ConcurrentQueue<(string, int, string)> events) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, events);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, int, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue((category, eventId.Id, formatter(state, exception)));
    }
}

/// <summary>A guard model seam that answers what the test says, and remembers what it was shown.</summary>
internal sealed class ScriptedGuard(GuardVerdict verdict) : IGuardModel
{
    public List<IReadOnlyList<GuardTurn>> Shown { get; } = [];

    public Task<GuardVerdict> JudgeAsync(GuardPolicy guard, GuardrailDirection direction, IReadOnlyList<GuardTurn> conversation, CancellationToken cancellationToken)
    {
        Shown.Add(conversation);
        return Task.FromResult(verdict);
    }
}
