using Microsoft.IdentityModel.Tokens;
using Writ.Core.Domain;

namespace Writ.Core.Keys;

/// <summary>
/// The effective state of every stored key at one instant, derived from times alone so that every
/// process sharing a database agrees without coordination. Key n signs from its activation until
/// key n+1 activates, and stays published until that moment plus the maximum token lifetime.
/// </summary>
internal sealed class KeySchedule
{
    private KeySchedule(IReadOnlyList<SigningKeyInfo> keys, SigningKeyInfo? signing, long sequence)
    {
        Keys = keys;
        Signing = signing;
        Sequence = sequence;
    }

    public IReadOnlyList<SigningKeyInfo> Keys { get; }

    public SigningKeyInfo? Signing { get; }

    /// <summary>
    /// Grows by one for every key ever created and every key that retired, so it increases on every
    /// change of the published set (the SPIFFE <c>spiffe_sequence</c>).
    /// </summary>
    public long Sequence { get; }

    // Rendered once per schedule; a race renders twice and keeps either, both equal.
    public IReadOnlyList<SecurityKey>? ValidationKeys { get; set; }

    public string? Jwks { get; set; }

    public string? TrustBundle { get; set; }

    public IEnumerable<SigningKeyInfo> Published => Keys.Where(k => k.Status != SigningKeyStatus.Retired);

    public static KeySchedule Evaluate(IReadOnlyList<SigningKey> stored, DateTimeOffset now, TimeSpan maxTokenLifetime)
    {
        var ordered = stored.OrderBy(k => k.Sequence).ToList();
        var infos = new List<SigningKeyInfo>(ordered.Count);
        SigningKeyInfo? signing = null;
        long retired = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var key = ordered[i];
            var successor = i + 1 < ordered.Count ? ordered[i + 1] : null;
            var retiresAt = Earliest(key.RetiresAt, successor?.ActivatesAt + maxTokenLifetime);
            var status = key.Status == SigningKeyStatus.Retired || retiresAt <= now
                ? SigningKeyStatus.Retired
                : now < key.ActivatesAt ? SigningKeyStatus.Pending : SigningKeyStatus.Active;
            if (status == SigningKeyStatus.Retired)
            {
                retired++;
            }

            var info = new SigningKeyInfo(key.Kid, key.Algorithm, status, false, key.CreatedAt, key.ActivatesAt, retiresAt, key.Sequence, key.PublicJwk);
            if (status == SigningKeyStatus.Active && (signing is null || key.ActivatesAt >= signing.ActivatesAt))
            {
                signing = info;
            }

            infos.Add(info);
        }

        if (signing is not null)
        {
            var index = infos.IndexOf(signing);
            signing = signing with { Signing = true };
            infos[index] = signing;
        }

        return new KeySchedule(infos, signing, ordered.Count + retired);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? left, DateTimeOffset? right) =>
        left is null ? right : right is null ? left : left < right ? left : right;
}
