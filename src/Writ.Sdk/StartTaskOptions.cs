namespace Writ.Sdk;

/// <summary>Optional settings of <see cref="WritClient.StartTaskAsync(TaskIntent, string, StartTaskOptions?, CancellationToken)"/>.</summary>
public sealed class StartTaskOptions
{
    /// <summary>
    /// Binds the task token to a fresh key of this process (RFC 9449 DPoP): a stolen token is useless
    /// without the key. Default true.
    /// </summary>
    public bool BindToKey { get; set; } = true;

    /// <summary>A token of the user the task acts for, when it acts for one.</summary>
    public string? UserToken { get; set; }

    /// <summary>
    /// Follows Writ's revocation stream for this task (with its own task token) while it runs, so a revocation of
    /// the task, its token, agent, owner or signing key ends it here within moments, before its next call. Default true.
    /// </summary>
    public bool FollowRevocations { get; set; } = true;
}
