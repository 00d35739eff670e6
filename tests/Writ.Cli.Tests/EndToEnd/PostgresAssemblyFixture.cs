using Writ.Testing.Postgres;

// One throwaway PostgreSQL cluster for the run, started only when a PostgreSQL test asks for it.
[assembly: AssemblyFixture(typeof(SharedPostgresCluster))]
