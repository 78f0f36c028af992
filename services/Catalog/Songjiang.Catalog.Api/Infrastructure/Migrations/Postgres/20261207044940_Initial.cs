using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Catalog.Api.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bundles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    IsCurrent = table.Column<bool>(type: "boolean", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "text", nullable: false),
                    MatterCodes = table.Column<List<string>>(type: "text[]", nullable: false),
                    FormSchema = table.Column<string>(type: "text", nullable: false),
                    PromisedLimitDays = table.Column<int>(type: "integer", nullable: false),
                    ChangedBy = table.Column<string>(type: "text", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bundles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "matters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    IsCurrent = table.Column<bool>(type: "boolean", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    LegalBasis = table.Column<List<string>>(type: "text[]", nullable: false),
                    StatutoryLimitDays = table.Column<int>(type: "integer", nullable: false),
                    PromisedLimitDays = table.Column<int>(type: "integer", nullable: false),
                    HandlingModes = table.Column<int[]>(type: "integer[]", nullable: false),
                    VisitsRequired = table.Column<int>(type: "integer", nullable: false),
                    CrossProvince = table.Column<bool>(type: "boolean", nullable: false),
                    PartnerCities = table.Column<List<string>>(type: "text[]", nullable: false),
                    ParallelReview = table.Column<bool>(type: "boolean", nullable: false),
                    ReviewDepartments = table.Column<List<string>>(type: "text[]", nullable: false),
                    FormSchema = table.Column<string>(type: "text", nullable: false),
                    Outcome = table.Column<string>(type: "text", nullable: true),
                    WorkflowDefinition = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ChangedBy = table.Column<string>(type: "text", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ChangeNote = table.Column<string>(type: "text", nullable: true),
                    Materials = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matters", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_bundles_Code_Version",
                table: "bundles",
                columns: new[] { "Code", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_matters_Code_Version",
                table: "matters",
                columns: new[] { "Code", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_matters_IsCurrent_Department",
                table: "matters",
                columns: new[] { "IsCurrent", "Department" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bundles");

            migrationBuilder.DropTable(
                name: "matters");
        }
    }
}
