namespace Writ.Core.Storage;

/// <summary>Connections (upstream credential sources) with their secrets encrypted at rest.</summary>
public interface IConnectionStore
{
}
