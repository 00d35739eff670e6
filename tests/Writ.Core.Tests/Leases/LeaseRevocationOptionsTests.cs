using Writ.Core.Leases;

namespace Writ.Core.Tests.Leases;

public sealed class LeaseRevocationOptionsTests
{
    [Fact]
    public void RetryDelay_DoublesUpToTheMaximum()
    {
        var options = new LeaseRevocationOptions { FirstRetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromMinutes(1) };

        Assert.Equal(TimeSpan.FromSeconds(5), options.DelayAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(10), options.DelayAfter(2));
        Assert.Equal(TimeSpan.FromSeconds(40), options.DelayAfter(4));
        Assert.Equal(TimeSpan.FromMinutes(1), options.DelayAfter(5));
        Assert.Equal(TimeSpan.FromMinutes(1), options.DelayAfter(1000));
    }

    [Fact]
    public void WireNames_RoundTrip()
    {
        foreach (var kind in Enum.GetValues<LeaseKind>())
        {
            Assert.True(LeaseNames.TryParse(LeaseNames.Of(kind), out LeaseKind parsed));
            Assert.Equal(kind, parsed);
        }

        foreach (var state in Enum.GetValues<LeaseState>())
        {
            Assert.True(LeaseNames.TryParse(LeaseNames.Of(state), out LeaseState parsed));
            Assert.Equal(state, parsed);
        }

        Assert.False(LeaseNames.TryParse("Active", out LeaseState _));
    }
}
