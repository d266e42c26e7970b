import { describe, expect, it } from 'vitest';
import { decimal } from './format.js';
import { goalDescription, metricOf, thresholdText } from './goal-metric.js';

describe('metricOf', () => {
  it('reads a conversion goal as a rate, revenue and counts as plain numbers with 2 decimals', () => {
    expect(metricOf('conversion').value(0.0778)).toBe('7.78%');
    expect(metricOf('revenue').value(12.3456)).toBe('12.35');
    expect(metricOf('revenue').value(1234.5)).toBe('1,234.50');
    expect(metricOf('count').value(1.375)).toBe('1.38');
    expect(metricOf('revenue').loss(0.0123)).toBe('0.012');
    expect(metricOf('conversion').loss(0.000123)).toBe('0.012%');
    expect(metricOf('revenue').value(null)).toBe('—');
  });
});

describe('decimal', () => {
  it('never shows a negative zero, and marks negatives with a minus sign', () => {
    expect(decimal(-0.001)).toBe('0.00');
    expect(decimal(-2.5)).toBe('−2.50');
    expect(decimal(Number.NaN)).toBe('—');
  });
});

describe('goal words', () => {
  it('describe a goal by role and kind, and a threshold as a percentage', () => {
    expect(goalDescription({ role: 'primary', kind: 'conversion', direction: 'higher' })).toBe(
      'primary · conversion',
    );
    expect(goalDescription({ role: 'guardrail', kind: 'count', direction: 'lower' })).toBe(
      'guardrail · count, lower is better',
    );
    expect(thresholdText(0.02)).toBe('2%');
    expect(thresholdText(0.125)).toBe('12.5%');
  });
});
