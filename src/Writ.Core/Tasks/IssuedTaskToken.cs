namespace Writ.Core.Tasks;

/// <summary>An issued task token and the facts the token endpoint reports about it.</summary>
/// <param name="Token">The compact JWS.</param>
/// <param name="Task">The task as stored.</param>
/// <param name="ExpiresIn">Seconds until the token expires.</param>
/// <param name="DpopBound">True when the token is bound to a DPoP key (<c>token_type</c> DPoP).</param>
public sealed record IssuedTaskToken(string Token, TaskRecord Task, int ExpiresIn, bool DpopBound);
