namespace Writ.Core.Leases;

/// <summary>The wire names of lease kinds and states (API, CLI, storage).</summary>
public static class LeaseNames
{
    /// <summary>The wire name of a kind.</summary>
    public static string Of(LeaseKind kind) => kind switch
    {
        LeaseKind.AccessToken => "access_token",
        LeaseKind.BrokeredSecret => "brokered_secret",
        LeaseKind.PostgresRole => "postgres_role",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The wire name of a state.</summary>
    public static string Of(LeaseState state) => state switch
    {
        LeaseState.Active => "active",
        LeaseState.Revoked => "revoked",
        LeaseState.Expired => "expired",
        LeaseState.FailedRevocation => "failed_revocation",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>Parses a kind's wire name.</summary>
    public static bool TryParse(string? text, out LeaseKind kind)
    {
        (var ok, kind) = text switch
        {
            "access_token" => (true, LeaseKind.AccessToken),
            "brokered_secret" => (true, LeaseKind.BrokeredSecret),
            "postgres_role" => (true, LeaseKind.PostgresRole),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>Parses a state's wire name.</summary>
    public static bool TryParse(string? text, out LeaseState state)
    {
        (var ok, state) = text switch
        {
            "active" => (true, LeaseState.Active),
            "revoked" => (true, LeaseState.Revoked),
            "expired" => (true, LeaseState.Expired),
            "failed_revocation" => (true, LeaseState.FailedRevocation),
            _ => (false, default),
        };
        return ok;
    }
}
