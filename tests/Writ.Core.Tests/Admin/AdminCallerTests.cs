using Writ.Core.Admin;

namespace Writ.Core.Tests.Admin;

public sealed class AdminCallerTests
{
    [Fact]
    public void UnscopedCaller_ManagesEveryOwner() => Assert.True(new AdminCaller("ops", null).MayManage("anyone"));

    [Fact]
    public void ScopedCaller_ManagesOnlyItsOwner()
    {
        var caller = new AdminCaller("alice-ops", "alice");

        Assert.True(caller.MayManage("alice"));
        Assert.False(caller.MayManage("bob"));
        Assert.False(caller.MayManage("Alice"));
    }
}
