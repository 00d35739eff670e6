namespace Writ.Core.Storage;

/// <summary>Leases</summary>
public interface ILeaseStore
{
}
