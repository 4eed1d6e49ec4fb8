namespace EdgeLlm.Updates.Feeds;

/// <summary>
/// The update feed as judged when read (<see cref="FeedMonitor.Feed"/>): <c>state</c> (<c>ok</c>, <c>stale</c>,
/// <c>rollback</c>, or <c>unknown</c> before the first verified index), its <c>code</c> (<c>update_feed_stale</c>,
/// <c>update_feed_rollback</c>; null when fine), since when, why, the last verified channel index and when it was
/// verified. The API maps it to its own contract.
/// </summary>
public sealed record FeedStatus(string State, string? Code, string Message, DateTimeOffset Since, ChannelIndex? LastIndex, DateTimeOffset? VerifiedAt);
