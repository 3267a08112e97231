using System.Reflection;
using System.Runtime.CompilerServices;

namespace Rfm.Tests.Conventions;

public sealed class ConventionTests
{
    private static readonly Assembly Core = typeof(RfmCalculator).Assembly;

    private static IEnumerable<Type> PublicTypes => Core.GetExportedTypes();

    [Fact]
    public void PublicConcreteClasses_AreSealed()
    {
        var unsealed = PublicTypes.Where(t => t.IsClass && !t.IsAbstract && !t.IsSealed).Select(t => t.FullName);

        Assert.Empty(unsealed);
    }

    [Fact]
    public void Core_ReferencesNothingButTheBaseClassLibrary()
    {
        // Every referenced assembly must load from the shared framework's own folder, not from a package.
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

        Assert.All(Core.GetReferencedAssemblies(), reference =>
            Assert.True(Path.GetDirectoryName(Assembly.Load(reference).Location) == framework, $"{reference.Name} is not part of the shared framework"));
    }

    [Fact]
    public void CoreProject_HasNoPackageReference()
    {
        // The only package the build adds is the public-API analyzer, as a private build-time asset.
        var project = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conventions", "Rfm.Core.csproj.xml"));

        Assert.DoesNotContain("PackageReference", project, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultTypes_AreImmutable()
    {
        Type[] results =
        [
            typeof(RfmResult), typeof(CustomerRfm), typeof(CustomerMetrics), typeof(MetricsSnapshot), typeof(IngestionSummary),
            typeof(ExclusionCount), typeof(SegmentSummary), typeof(Rfm.Scoring.MetricScoring), typeof(Rfm.Scoring.ScoreBand),
            typeof(Rfm.Scoring.RfmScore), typeof(Rfm.Segmentation.Segment), typeof(Rfm.Segmentation.SegmentCoverage), typeof(Transaction),
            typeof(Rfm.Scoring.RfmScoring), typeof(Rfm.Segmentation.RuleSegmentMap), typeof(RfmCalculator), typeof(TransactionPolicy),
            typeof(TransactionColumns), typeof(Rfm.Segmentation.SegmentRule), typeof(Rfm.Segmentation.CampaignTarget), typeof(PartitionedResult),
            typeof(RfmPartition),
        ];

        foreach (var type in results)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var setter = property.SetMethod;
                var isInitOnly = setter?.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)) ?? false;
                Assert.True(setter is null || !setter.IsPublic || isInitOnly, $"{type.Name}.{property.Name} has a public setter");
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                Assert.True(field.IsInitOnly, $"{type.Name}.{field.Name} is a writable public field");
            }
        }
    }

    [Fact]
    public void PublicTypes_LiveInTheDocumentedNamespaces()
    {
        Assert.All(PublicTypes, t => Assert.Contains(t.Namespace, new[] { "Rfm", "Rfm.Scoring", "Rfm.Segmentation", "Rfm.Analytics" }));
    }
}
