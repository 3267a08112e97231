using System.Reflection;
using System.Runtime.CompilerServices;

namespace Rfm.Lifetimes.Tests;

public sealed class ConventionTests
{
    private static readonly Assembly Lifetimes = typeof(BgNbdModel).Assembly;

    [Fact]
    public void PublicConcreteClasses_AreSealed()
    {
        Assert.Empty(Lifetimes.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract && !t.IsSealed).Select(t => t.FullName));
    }

    [Fact]
    public void PublicTypes_AreImmutable_ExceptionsApart()
    {
        foreach (var type in Lifetimes.GetExportedTypes().Where(t => !t.IsEnum && !typeof(Exception).IsAssignableFrom(t)))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var setter = property.SetMethod;
                var isInitOnly = setter?.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)) ?? false;
                Assert.True(setter is null || !setter.IsPublic || isInitOnly, $"{type.Name}.{property.Name} has a public setter");
            }

            Assert.All(type.GetFields(BindingFlags.Public | BindingFlags.Instance), field => Assert.True(field.IsInitOnly, $"{type.Name}.{field.Name} is writable"));
        }
    }

    [Fact]
    public void PublicTypes_LiveInOneNamespace()
    {
        Assert.All(Lifetimes.GetExportedTypes(), t => Assert.Equal("Rfm.Lifetimes", t.Namespace));
    }

    [Fact]
    public void References_TheCoreAndMathNetOnly()
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var outside = Lifetimes.GetReferencedAssemblies()
            .Where(reference => Path.GetDirectoryName(Assembly.Load(reference).Location) != framework)
            .Select(reference => reference.Name)
            .Order();

        Assert.Equal(["MathNet.Numerics", "Rfm.Core"], outside);
    }
}
