import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient, Teacher } from '@akd/db';
import { PRISMA } from '../tokens.js';

@Injectable()
export class TeachersRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  list(datasetId: string | undefined): Promise<Teacher[]> {
    return this.prisma.teacher.findMany({
      where: datasetId === undefined ? {} : { datasetId },
      orderBy: [{ datasetId: 'asc' }, { name: 'asc' }],
    });
  }

  findById(id: string): Promise<Teacher | null> {
    return this.prisma.teacher.findUnique({ where: { id } });
  }

  findByIds(ids: readonly string[]): Promise<Teacher[]> {
    return this.prisma.teacher.findMany({ where: { id: { in: [...ids] } } });
  }

  findByName(datasetId: string, name: string): Promise<Teacher | null> {
    return this.prisma.teacher.findUnique({ where: { datasetId_name: { datasetId, name } } });
  }

  create(data: Prisma.TeacherUncheckedCreateInput): Promise<Teacher> {
    return this.prisma.teacher.create({ data });
  }

  update(id: string, data: Prisma.TeacherUncheckedUpdateInput): Promise<Teacher> {
    return this.prisma.teacher.update({ where: { id }, data });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.teacher.delete({ where: { id } });
  }

  /** Creates an imported-logits teacher together with the cached-logits rows of its files. */
  createWithLogits(
    teacher: Prisma.TeacherUncheckedCreateInput,
    logits: Omit<Prisma.TeacherLogitsUncheckedCreateInput, 'teacherId'>[],
  ): Promise<Teacher> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.teacher.create({ data: teacher });
      for (const entry of logits) await tx.teacherLogits.create({ data: { ...entry, teacherId: row.id } });
      return row;
    });
  }
}
