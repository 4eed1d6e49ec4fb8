using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Inference.Backends;
using EdgeLlm.Inference.Models;
using EdgeLlm.Telemetry;
using EdgeLlm.Telemetry.Outbox;
using EdgeLlm.Updates.State;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Endpoints;

/// <summary><c>GET /admin/status</c> (admin scope): versions, uptime, models and their queues, backends and devices, the outbox, the MQTT link and the last update check.</summary>
internal static class AdminStatusEndpoint
{
    public static IResult Get(HttpContext http, ModelRegistry registry, GgmlBackendRegistry backends, OutboxStore outbox, UplinkStatus uplink, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var started = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime());
        var status = new JsonObject
        {
            ["versions"] = new JsonObject
            {
                ["edgellm"] = Version(Assembly.GetEntryAssembly() ?? typeof(AdminStatusEndpoint).Assembly),
                ["dotnet"] = Environment.Version.ToString(),
            },
            ["started_at"] = started,
            ["uptime_seconds"] = (long)(now - started).TotalSeconds,
            ["ready"] = registry.IsReady,
            ["models"] = new JsonArray([.. registry.Models.Select(Model)]),
            ["backend"] = registry.IsReady ? Backend(backends.Inventory()) : null,
            ["outbox"] = Outbox(outbox.State(), now),
            ["uplink"] = Uplink(uplink.Current),
            ["updates"] = http.RequestServices.GetService(typeof(UpdateStateStore)) is UpdateStateStore updates ? Updates(updates) : null,
        };
        return Results.Text(status.ToJsonString(), "application/json");
    }

    private static JsonNode Model(LoadedModel model)
    {
        var queue = model.Scheduler.Snapshot;
        return new JsonObject
        {
            ["name"] = model.Name,
            ["architecture"] = model.Architecture,
            ["context_size"] = model.ContextSize,
            ["loaded_at"] = model.LoadedAt,
            ["active_sequences"] = queue.Active,
            ["queued"] = queue.Waiting,
            ["completed"] = queue.Completed,
            ["faulted"] = queue.Faulted,
        };
    }

    private static JsonNode Backend(BackendInventory inventory) => new JsonObject
    {
        ["ggml"] = inventory.GgmlVersion,
        ["llama_cpp_commit"] = inventory.GgmlCommit,
        ["gpu_offload"] = inventory.GpuOffload,
        ["devices"] = new JsonArray([.. inventory.Devices.Select(d => (JsonNode)new JsonObject
        {
            ["name"] = d.Name,
            ["description"] = d.Description,
            ["type"] = d.Type.ToString().ToLowerInvariant(),
            ["free_bytes"] = d.FreeBytes,
            ["total_bytes"] = d.TotalBytes,
        })]),
    };

    private static JsonNode Outbox(OutboxState state, DateTimeOffset now) => new JsonObject
    {
        ["records"] = state.Records,
        ["bytes"] = state.Bytes,
        ["oldest_age_seconds"] = state.OldestCreated is { } oldest ? (long)(now - oldest).TotalSeconds : null,
        ["dropped_size"] = state.DroppedForSize,
        ["dropped_age"] = state.DroppedForAge,
        ["drops_unreported"] = state.DropsUnreported,
    };

    private static JsonNode Uplink(UplinkStatus.Snapshot link) => new JsonObject
    {
        ["broker"] = link.Broker,
        ["connected"] = link.Connected,
        ["last_connected"] = link.LastConnected,
        ["last_acknowledged"] = link.LastAcknowledged,
        ["last_error"] = link.LastError,
        ["last_update_check_command"] = link.LastUpdateCheckCommand,
    };

    private static JsonNode Updates(UpdateStateStore updates) => new JsonObject
    {
        ["last_check"] = updates.LastCheck() is { } check ? new JsonObject { ["at"] = new DateTimeOffset(check.At, TimeSpan.Zero), ["outcome"] = check.Code, ["message"] = check.Message } : null,
        ["last_error"] = updates.LastError() is { } error ? new JsonObject { ["at"] = new DateTimeOffset(error.At, TimeSpan.Zero), ["code"] = error.Code, ["message"] = error.Message } : null,
        ["feed"] = updates.Feed() is { } feed ? JsonSerializer.SerializeToNode(feed, ApiJsonContext.Default.FeedStatus) : null,
    };

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
