namespace Writ.Core.Storage;

/// <summary>Tasks and their lifecycle.</summary>
public interface ITaskStore
{
}
