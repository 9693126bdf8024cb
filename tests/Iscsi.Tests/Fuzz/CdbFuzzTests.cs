using Iscsi.Pdu;
using Iscsi.Scsi;
using IscsiModule.Logic;

namespace Iscsi.Tests.Fuzz;

/// <summary>
/// What the engine and the module read out of a CDB before sending it: its name (<see cref="CdbInfo.Name"/>), whether
/// it may change data (<see cref="CdbInfo.IsDataChanging"/>, the module's ShouldProcess decision), whether it may be
/// sent again after a lost connection (<see cref="RepeatableCommands"/>), and its trip through the BHS. On any bytes,
/// of any length: no exception but the documented refusals, an unknown opcode always treated as changing data and
/// never repeated, and a builder's command classified by what it is whatever its other fields hold.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class CdbFuzzTests
{
    private const string Node = "iqn.2026-11.test:fuzz";

    private sealed record Builder(string Name, bool ChangesData, Func<Random, byte[]> Build);

    // One command of each kind the engine builds, with random fields; the name and the classification are the facts
    // of SBC-4 / SPC-6 for that opcode.
    private static readonly Builder[] Builders =
    [
        new("READ(10)", false, r => Cdb.Read10(Lba(r) & uint.MaxValue, (uint)r.Next(0x10000), Flag(r), Flag(r))),
        new("READ(16)", false, r => Cdb.Read16(Lba(r), (uint)r.Next(), Flag(r), Flag(r))),
        new("WRITE(10)", true, r => Cdb.Write10(Lba(r) & uint.MaxValue, (uint)r.Next(0x10000), Flag(r), Flag(r))),
        new("WRITE(16)", true, r => Cdb.Write16(Lba(r), (uint)r.Next(), Flag(r), Flag(r))),
        new("WRITE SAME(16)", true, r => Cdb.WriteSame16(Lba(r), (uint)r.Next(), Flag(r), Flag(r), Flag(r))),
        new("COMPARE AND WRITE", true, r => Cdb.CompareAndWrite(Lba(r), (byte)r.Next(256), Flag(r), Flag(r))),
        new("UNMAP", true, r => Cdb.Unmap((ushort)r.Next(0x10000), Flag(r))),
        new("VERIFY(16)", false, r => Cdb.Verify16(Lba(r), (uint)r.Next(), (byte)r.Next(4), Flag(r))),
        new("SYNCHRONIZE CACHE(10)", false, r => Cdb.SynchronizeCache10(Lba(r) & uint.MaxValue, (uint)r.Next(0x10000), Flag(r))),
        new("SYNCHRONIZE CACHE(16)", false, r => Cdb.SynchronizeCache16(Lba(r), (uint)r.Next(), Flag(r))),
        new("TEST UNIT READY", false, _ => Cdb.TestUnitReady()),
        new("INQUIRY", false, r => Cdb.Inquiry(true, (byte)r.Next(256), (ushort)r.Next(0x10000))),
        new("READ CAPACITY(10)", false, _ => Cdb.ReadCapacity10()),
        new("SERVICE ACTION IN(16)", false, r => Cdb.ReadCapacity16((uint)r.Next())),
        new("REPORT LUNS", false, r => Cdb.ReportLuns((byte)r.Next(3), (uint)r.Next())),
        new("MODE SENSE(6)", false, r => Cdb.ModeSense6(Flag(r), (ModePageControl)r.Next(4), (byte)r.Next(0x40), (byte)r.Next(256), (byte)r.Next(256))),
        new("MODE SENSE(10)", false, r => Cdb.ModeSense10(Flag(r), Flag(r), (ModePageControl)r.Next(4), (byte)r.Next(0x40), (byte)r.Next(256), (ushort)r.Next(0x10000))),
        new("REQUEST SENSE", false, r => Cdb.RequestSense(Flag(r), (byte)r.Next(256))),
        new("PERSISTENT RESERVE IN", false, r => Cdb.PersistentReserveIn((PersistentReserveInServiceAction)r.Next(4), (ushort)r.Next(0x10000))),
        new("PERSISTENT RESERVE OUT", true, r => Cdb.PersistentReserveOut((PersistentReserveOutServiceAction)r.Next(8), 0,
            (PersistentReservationType)r.Next(9), (uint)r.Next())),
        new("START STOP UNIT", true, r => Cdb.StartStopUnit(Flag(r), (byte)r.Next(16), Flag(r), Flag(r), (byte)r.Next(16), Flag(r))),
        new("MAINTENANCE IN", false, r => Cdb.ReportSupportedOperationCodes((byte)r.Next(4), (byte)r.Next(256), (ushort)r.Next(0x10000), (uint)r.Next(), Flag(r))),
    ];

    [Fact]
    public void Any_bytes_are_named_classified_and_framed_or_refused_as_documented()
    {
        FuzzRunner.Run("CdbInfo", random =>
        {
            if (random.Next(3) == 0 && TryBuild(Builders[random.Next(Builders.Length)], random) is { } built)
                return new Mutator(random).Mutate(new FuzzInput(built));
            var cdb = new byte[random.Next(4) == 0 ? random.Next(40) : random.Next(6, 17)];
            random.NextBytes(cdb);
            return cdb;
        }, (cdb, random) =>
        {
            bool changing = CdbInfo.IsDataChanging(cdb);
            bool repeatable = RepeatableCommands.IsRepeatable(cdb);
            var decision = CommandClassifier.Classify(cdb, random.Next(16384), Node);
            Assert.Equal(changing, decision.ChangesData);
            Assert.Contains(Convert.ToHexString(cdb), decision.Action);
            if (cdb.Length == 0)
            {
                Assert.True(changing, "an empty CDB must go through ShouldProcess");
                Assert.False(repeatable);
                return;
            }
            string name = CdbInfo.Name(cdb[0]);
            Assert.Equal(name, decision.CommandName);
            Assert.False(string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl), $"name '{TextSafety.Printable(name)}'");
            if (name.StartsWith("OPCODE ", StringComparison.Ordinal))
            {
                Assert.Equal($"OPCODE 0x{cdb[0]:X2}", name);
                Assert.True(changing, $"unknown opcode 0x{cdb[0]:X2} must count as changing data");
                Assert.False(repeatable, $"unknown opcode 0x{cdb[0]:X2} must not be sent twice");
            }
            CheckFraming(cdb);
            CheckCommand(cdb);
        }, _ => false);
    }

    [Fact]
    public void A_built_command_keeps_its_name_and_classification_whatever_its_other_fields_hold()
    {
        FuzzRunner.Run("CdbBuilders", random => [(byte)random.Next(Builders.Length)], (choice, random) =>
        {
            var builder = Builders[choice[0]];
            if (TryBuild(builder, random) is not { } cdb) return;
            // Flags, reserved bits and lengths flipped in place; the opcode stays what it is.
            byte[] mutated = new Mutator(random).Mutate(new FuzzInput(cdb), inPlace: true);
            mutated[0] = cdb[0];
            foreach (var bytes in new[] { cdb, mutated })
            {
                Assert.Equal(builder.Name, CdbInfo.Name(bytes[0]));
                Assert.Equal(builder.ChangesData, CdbInfo.IsDataChanging(bytes));
                Assert.Equal(builder.ChangesData, CommandClassifier.Classify(bytes, 1, Node).ChangesData);
                CheckFraming(bytes);
                CheckCommand(bytes);
            }
            if (builder.Name is "COMPARE AND WRITE" or "PERSISTENT RESERVE OUT" or "START STOP UNIT")
                Assert.False(RepeatableCommands.IsRepeatable(cdb), $"{builder.Name} must not run twice");
        }, _ => false);
    }

    /// <summary>A CDB of up to 16 bytes travels in the BHS and comes back the same (zero-padded); a longer one is refused.</summary>
    private static void CheckFraming(byte[] cdb)
    {
        var request = new ScsiCommandRequest { Final = true, Read = true, InitiatorTaskTag = 7, Cdb = cdb };
        var bhs = new byte[Bhs.Length];
        if (cdb.Length > ScsiCommandRequest.CdbFieldLength)
        {
            Assert.Equal("CdbTooLong", Assert.Throws<IscsiArgumentException>(() => request.WriteTo(bhs)).ErrorId);
            return;
        }
        request.WriteTo(bhs);
        Assert.True(ScsiCommandRequest.TryRead(bhs, out var back));
        byte[] field = back.Cdb.ToArray();
        Assert.Equal(cdb, field[..cdb.Length]);
        Assert.All(field[cdb.Length..], b => Assert.Equal(0, b));
    }

    /// <summary>A command is 6 to 16 bytes; the module's error category for its failure is computed without fault.</summary>
    private static void CheckCommand(byte[] cdb)
    {
        if (cdb.Length is < 6 or > 16)
        {
            Assert.Equal("CdbLengthInvalid", Assert.Throws<IscsiArgumentException>(() => new ScsiCommand(0, cdb)).ErrorId);
            return;
        }
        var command = new ScsiCommand(0, cdb);
        Assert.Equal(cdb, command.Cdb.ToArray());
        var failed = new ScsiResult { Lun = 0, Cdb = cdb, Status = ScsiStatus.CheckCondition, Sense = SenseData.Parse([0x70, 0, 0x03, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x11, 0, 0, 0, 0, 0]) };
        var category = ErrorMapper.ScsiCategory(failed);
        Assert.Equal(CdbInfo.IsDataChanging(cdb) ? ModuleErrorCategory.WriteError : ModuleErrorCategory.ReadError, category);
    }

    /// <summary>The builder's CDB, or null when it refuses the random fields (documented: a range past the LBA space).</summary>
    private static byte[]? TryBuild(Builder builder, Random random)
    {
        try
        {
            return builder.Build(random);
        }
        catch (IscsiArgumentException)
        {
            return null;
        }
    }

    private static ulong Lba(Random random) => random.Next(4) switch
    {
        0 => 0,
        1 => ulong.MaxValue - (ulong)random.Next(512),
        _ => (ulong)random.NextInt64(),
    };

    private static bool Flag(Random random) => random.Next(2) == 0;
}
