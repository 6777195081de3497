/** The registry of sub-commands: one module per command, each exporting `register(program)`. */
import type { Command } from 'commander';
import { register as registerSimulate } from './simulate.js';
import { register as registerRun } from './run.js';
import { register as registerScenario } from './scenario.js';
import { register as registerSmooth } from './smooth.js';
import { register as registerValidate } from './validate.js';
import { register as registerResidential } from './residential.js';
import { register as registerCalibrate } from './calibrate.js';
import { register as registerReport } from './report.js';
import { register as registerServe } from './serve.js';
import { register as registerStats } from './stats.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerRun, registerScenario, registerSimulate, registerSmooth, registerValidate, registerResidential, registerCalibrate, registerReport, registerServe, registerStats];
