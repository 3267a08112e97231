using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Rfm.Extensions.DependencyInjection;

/// <summary>Registers RFM profiles in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Every overload forwards to <see cref="AddRfm(IServiceCollection, string, Action{RfmOptions})"/>. Services are added
/// with <c>TryAdd</c>, so the application can register its own first, and calling <c>AddRfm</c> again only adds
/// configuration. Options are validated when the host starts, every error of every profile at once.
/// </remarks>
public static class RfmServiceCollectionExtensions
{
    /// <summary>Adds the default RFM profile with the default preset's settings.</summary>
    /// <param name="services">The services.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddRfm(this IServiceCollection services) =>
        services.AddRfm(Options.DefaultName, static _ => { });

    /// <summary>Adds the default RFM profile, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddRfm(this IServiceCollection services, Action<RfmOptions> configure) =>
        services.AddRfm(Options.DefaultName, configure);

    /// <summary>Adds the default RFM profile, configured from a configuration section such as <c>Configuration.GetSection("Rfm")</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section; its keys are <see cref="RfmOptions"/>' property names.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddRfm(this IServiceCollection services, IConfiguration section) =>
        services.AddRfm(Options.DefaultName, section);

    /// <summary>Adds a named RFM profile, configured from a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The profile's name, also the key of its keyed services.</param>
    /// <param name="section">The section; its keys are <see cref="RfmOptions"/>' property names.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddRfm(this IServiceCollection services, string name, IConfiguration section) =>
        services.AddRfm(name, section, sectionRequired: false);

    /// <summary>
    /// Adds the default RFM profile, configured from a configuration section; when <paramref name="sectionRequired"/>,
    /// a missing or empty section is an error at start instead of the preset's settings.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section; its keys are <see cref="RfmOptions"/>' property names.</param>
    /// <param name="sectionRequired">Whether the section must exist: <see langword="true"/> to fail at start when it is missing or empty.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddRfm(this IServiceCollection services, IConfiguration section, bool sectionRequired) =>
        services.AddRfm(Options.DefaultName, section, sectionRequired);

    /// <summary>
    /// Adds a named RFM profile, configured from a configuration section; when <paramref name="sectionRequired"/>, a
    /// missing or empty section is an error at start instead of the preset's settings.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The profile's name, also the key of its keyed services.</param>
    /// <param name="section">The section; its keys are <see cref="RfmOptions"/>' property names.</param>
    /// <param name="sectionRequired">Whether the section must exist: <see langword="true"/> to fail at start when it is missing or empty.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddRfm(this IServiceCollection services, string name, IConfiguration section, bool sectionRequired)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddRfm(name, options => RfmConfiguration.Bind(section, options, sectionRequired));
    }

    /// <summary>
    /// Adds a named RFM profile, configured in code: <see cref="RfmProfiles"/> gives it by name, and it is registered
    /// as keyed <see cref="RfmEngine"/> and <see cref="RfmCalculator"/> services (the default profile, with the empty
    /// name, as unkeyed ones, which exist only when the default profile is added).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The profile's name, also the key of its keyed services; empty for the default profile.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddRfm(this IServiceCollection services, string name, Action<RfmOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);

        // Each profile is validated when it is read; at start, one check reads them all, so that every profile's
        // problems are reported together rather than the first failing profile's alone.
        services.AddOptions<RfmOptions>(name).Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RfmOptions>, RfmOptionsValidator>());
        services.AddOptions<RfmStartCheck>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RfmStartCheck>, RfmStartValidator>());
        Names(services).Add(name);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider => new RfmProfiles(
            provider.GetRequiredService<RfmProfileNames>(),
            provider.GetRequiredService<IOptionsMonitor<RfmOptions>>(),
            provider.GetServices<Scoring.IScoringStrategy>(),
            provider.GetServices<Segmentation.ISegmentMap>(),
            provider.GetRequiredService<TimeProvider>()));
        if (name.Length == 0)
        {
            // The engine uses the container's calculator, so that one the application registered first reaches it too.
            services.TryAddSingleton(static provider => provider.GetRequiredService<RfmProfiles>().Default.Calculator);
            services.TryAddSingleton(static provider => provider.GetRequiredService<RfmProfiles>().Default.With(provider.GetRequiredService<RfmCalculator>()));
        }
        else
        {
            services.TryAddKeyedSingleton(name, static (provider, key) => provider.GetRequiredService<RfmProfiles>().Get((string)key!));
            services.TryAddKeyedSingleton(name, static (provider, key) => provider.GetRequiredKeyedService<RfmEngine>(key).Calculator);
        }

        return services;
    }

    // One registry of names per service collection, found again on every call.
    private static RfmProfileNames Names(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(RfmProfileNames) && descriptor.ImplementationInstance is RfmProfileNames names)
            {
                return names;
            }
        }

        var added = new RfmProfileNames();
        services.AddSingleton(added);
        return added;
    }
}
