namespace EdgeLlm.Api.Generation;

/// <summary>How a streamed answer is put on the wire.</summary>
internal enum StreamFraming
{
    /// <summary><c>text/event-stream</c>: each message a <c>data:</c> event, ended by <c>data: [DONE]</c> (OpenAI).</summary>
    ServerSentEvents,

    /// <summary><c>application/x-ndjson</c>: each message one JSON object on its own line, the last one saying it is done (Ollama).</summary>
    NewlineDelimitedJson,
}
