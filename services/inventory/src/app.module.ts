import { Module, type DynamicModule } from '@nestjs/common';
import { SkaldServiceModule, type BaseServiceConfig } from '@skald/service-kit';

@Module({})
export class AppModule {
  static register(config: BaseServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [SkaldServiceModule.forRoot({ service: 'inventory', config })],
    };
  }
}
