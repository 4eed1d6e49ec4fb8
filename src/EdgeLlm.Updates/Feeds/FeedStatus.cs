namespace EdgeLlm.Updates.Feeds;

/// <summary>
/// The update feed as <c>/admin/updates</c> and <c>/admin/status</c> show it: <c>state</c> (<c>ok</c>, <c>stale</c>,
/// <c>rollback</c>, or <c>unknown</c> before the first verified index), its <c>code</c> (<c>update_feed_stale</c>,
/// <c>update_feed_rollback</c>; null when fine), since when, why, the last verified channel index and when it was verified.
/// </summary>
public sealed record FeedStatus(string State, string? Code, string Message, DateTimeOffset Since, ChannelIndex? LastIndex, DateTimeOffset? VerifiedAt);
