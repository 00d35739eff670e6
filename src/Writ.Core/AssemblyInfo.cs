namespace Writ.Core;

internal static class CoreAssembly;
