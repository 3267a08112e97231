namespace Rfm.Segmentation;

/// <summary>How a customer's segment changed between two results.</summary>
public enum MigrationDirection
{
    /// <summary>The same segment on both sides.</summary>
    Unchanged = 0,

    /// <summary>To a segment the map lists as more valuable.</summary>
    Upgrade = 1,

    /// <summary>To a segment the map lists as less valuable.</summary>
    Downgrade = 2,

    /// <summary>To another segment when one of the two is not among the map's segments, so neither way can be told.</summary>
    Moved = 3,

    /// <summary>In the later result only.</summary>
    New = 4,

    /// <summary>In the earlier result only.</summary>
    Gone = 5,
}
