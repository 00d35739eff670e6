using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task SigningKey_AddedThenRead_RoundTrips()
    {
        var key = NewSigningKey("kid-1", 1);

        Assert.True((await Store.SigningKeys.AddAsync(key, Ct)).Succeeded);
        var read = await Store.SigningKeys.GetAsync("kid-1", Ct);

        Assert.NotNull(read);
        Assert.Equal(key.ProtectedPrivateKey, read.ProtectedPrivateKey);
        Assert.Equal(key with { ProtectedPrivateKey = [] }, read with { ProtectedPrivateKey = [] });
        Assert.Null(await Store.SigningKeys.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task DuplicateSigningKidOrSequence_ReturnsAlreadyExists()
    {
        await Store.SigningKeys.AddAsync(NewSigningKey("kid-1", 1), Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.SigningKeys.AddAsync(NewSigningKey("kid-1", 2), Ct)).Outcome);
        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.SigningKeys.AddAsync(NewSigningKey("kid-2", 1), Ct)).Outcome);
    }

    [Fact]
    public async Task SigningKeys_AreListedBySequence_AndScheduleIsUpdated()
    {
        await Store.SigningKeys.AddAsync(NewSigningKey("b", 2), Ct);
        await Store.SigningKeys.AddAsync(NewSigningKey("a", 1), Ct);

        Assert.Equal(["a", "b"], (await Store.SigningKeys.ListAsync(Ct)).Select(k => k.Kid));

        var updated = await Store.SigningKeys.UpdateScheduleAsync("a", SigningKeyStatus.Retired, T0.AddHours(1), Ct);
        Assert.Equal(SigningKeyStatus.Retired, updated.Value!.Status);
        Assert.Equal(T0.AddHours(1), updated.Value.RetiresAt);
        Assert.Equal(StoreOutcome.NotFound, (await Store.SigningKeys.UpdateScheduleAsync("zzz", SigningKeyStatus.Retired, null, Ct)).Outcome);
    }

    private static SigningKey NewSigningKey(string kid, long sequence) =>
        new(kid, "ES256", "{\"kty\":\"EC\"}", [1, 2, 3, (byte)sequence], "rk_test", SigningKeyStatus.Active, T0, T0.AddMinutes(sequence), null, sequence);
}
