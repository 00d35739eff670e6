using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Migration_IsIdempotent_AndKeepsData()
    {
        await AddOwnerAsync();

        await Store.MigrateAsync(Ct);
        await Store.MigrateAsync(Ct);
        await using var again = await OpenSameDatabaseAsync();
        await again.MigrateAsync(Ct);

        Assert.NotNull(await again.Owners.GetAsync("alice", Ct));
    }

    [Fact]
    public async Task NewerSchemaVersion_RefusesToStart()
    {
        await ForceSchemaVersionAsync(SupportedSchemaVersion + 1);
        await using var newer = await OpenSameDatabaseAsync();

        var error = await Assert.ThrowsAsync<SchemaVersionTooNewException>(() => newer.MigrateAsync(Ct));

        Assert.Equal(SupportedSchemaVersion + 1, error.DatabaseVersion);
        Assert.Equal(SupportedSchemaVersion, error.SupportedVersion);
        Assert.Equal(
            $"database schema version {SupportedSchemaVersion + 1} is newer than this writ binary supports ({SupportedSchemaVersion}); upgrade writ",
            error.Message);
    }

    [Fact]
    public async Task Ping_AnswersTrue()
    {
        Assert.True(await Store.PingAsync(Ct));
    }
}
