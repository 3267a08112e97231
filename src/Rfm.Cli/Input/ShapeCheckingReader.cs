using System.Data;
using Sylvan.Data.Csv;

namespace Rfm.Cli.Input;

/// <summary>
/// A CSV reader that refuses a record with more or fewer fields than the header: a missing field would shift the
/// rest into the wrong columns, or turn a row's order id into "no order" without a word.
/// </summary>
internal sealed class ShapeCheckingReader(CsvDataReader csv, Func<long, string> locate, string file) : IDataReader
{
    private long _row;

    public int FieldCount => csv.FieldCount;

    public int Depth => csv.Depth;

    public bool IsClosed => csv.IsClosed;

    public int RecordsAffected => csv.RecordsAffected;

    public object this[int i] => csv[i];

    public object this[string name] => csv[name];

    public bool Read()
    {
        if (!csv.Read())
        {
            return false;
        }

        _row++;

        // A blank line is one empty field; the ingestion counts it as an empty row.
        var blank = csv.RowFieldCount == 1 && csv.GetString(0).Length == 0;
        if (csv.RowFieldCount != csv.FieldCount && !blank)
        {
            throw new InputException($"{file}: {locate(_row)}: the record has {csv.RowFieldCount} fields, but the header has {csv.FieldCount}.");
        }

        return true;
    }

    public void Close() => csv.Close();

    public void Dispose() => csv.Dispose();

    public DataTable? GetSchemaTable() => csv.GetSchemaTable();

    public bool NextResult() => csv.NextResult();

    public bool GetBoolean(int i) => csv.GetBoolean(i);

    public byte GetByte(int i) => csv.GetByte(i);

    public long GetBytes(int i, long fieldOffset, byte[]? buffer, int bufferoffset, int length) => csv.GetBytes(i, fieldOffset, buffer, bufferoffset, length);

    public char GetChar(int i) => csv.GetChar(i);

    public long GetChars(int i, long fieldoffset, char[]? buffer, int bufferoffset, int length) => csv.GetChars(i, fieldoffset, buffer, bufferoffset, length);

    public IDataReader GetData(int i) => ((IDataReader)csv).GetData(i);

    public string GetDataTypeName(int i) => csv.GetDataTypeName(i);

    public DateTime GetDateTime(int i) => csv.GetDateTime(i);

    public decimal GetDecimal(int i) => csv.GetDecimal(i);

    public double GetDouble(int i) => csv.GetDouble(i);

    public Type GetFieldType(int i) => csv.GetFieldType(i);

    public float GetFloat(int i) => csv.GetFloat(i);

    public Guid GetGuid(int i) => csv.GetGuid(i);

    public short GetInt16(int i) => csv.GetInt16(i);

    public int GetInt32(int i) => csv.GetInt32(i);

    public long GetInt64(int i) => csv.GetInt64(i);

    public string GetName(int i) => csv.GetName(i);

    public int GetOrdinal(string name) => csv.GetOrdinal(name);

    public string GetString(int i) => csv.GetString(i);

    public object GetValue(int i) => csv.GetValue(i);

    public int GetValues(object[] values) => csv.GetValues(values);

    public bool IsDBNull(int i) => csv.IsDBNull(i);
}
