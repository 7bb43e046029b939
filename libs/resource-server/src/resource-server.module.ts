import {
  Inject,
  Module,
  Optional,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Provider,
} from '@nestjs/common';
import { AccessTokenGuard } from './access-token.guard';
import { AccessTokenVerifier } from './access-token-verifier';
import { KafkaRevocationSubscriber } from './kafka-revocation.subscriber';
import { RESOURCE_SERVER_OPTIONS, type ResourceServerModuleOptions } from './resource-server-module.options';
import { RevocationList } from './revocation-list';

/** Asynchronous options, e.g. from the app's typed config. */
export interface ResourceServerModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Providers the factory needs. */
  inject?: FactoryProvider['inject'];
  /** Builds the options. */
  useFactory: FactoryProvider<ResourceServerModuleOptions | Promise<ResourceServerModuleOptions>>['useFactory'];
}

/**
 * The resource-server library for NestJS APIs: provides `AccessTokenVerifier`,
 * `RevocationList` and `AccessTokenGuard` app-wide (a global module), and runs
 * the `iam.revocations` subscription when Kafka is configured.
 */
@Module({})
export class ResourceServerModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Optional() @Inject(KafkaRevocationSubscriber) private readonly subscriber?: KafkaRevocationSubscriber) {}

  /** The module with static options. */
  static forRoot(options: ResourceServerModuleOptions): DynamicModule {
    return ResourceServerModule.build([], { provide: RESOURCE_SERVER_OPTIONS, useValue: options });
  }

  /** The module with options built by a factory. */
  static forRootAsync(options: ResourceServerModuleAsyncOptions): DynamicModule {
    return ResourceServerModule.build(options.imports ?? [], {
      provide: RESOURCE_SERVER_OPTIONS,
      useFactory: options.useFactory,
      inject: options.inject ?? [],
    });
  }

  /** Revocations published before start-up are read first, so no revoked token slips through at boot. */
  async onApplicationBootstrap(): Promise<void> {
    await this.subscriber?.start();
  }

  /** Stops the subscription. */
  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.stop();
  }

  private static build(imports: NonNullable<ModuleMetadata['imports']>, optionsProvider: Provider): DynamicModule {
    return {
      module: ResourceServerModule,
      global: true,
      imports,
      providers: [
        optionsProvider,
        {
          provide: RevocationList,
          inject: [RESOURCE_SERVER_OPTIONS],
          useFactory: (o: ResourceServerModuleOptions) => new RevocationList(o.revocations),
        },
        {
          provide: AccessTokenVerifier,
          inject: [RESOURCE_SERVER_OPTIONS, RevocationList],
          useFactory: (o: ResourceServerModuleOptions, revocations: RevocationList) =>
            new AccessTokenVerifier(o, { revocations }),
        },
        {
          provide: KafkaRevocationSubscriber,
          inject: [RESOURCE_SERVER_OPTIONS, RevocationList],
          useFactory: (o: ResourceServerModuleOptions, revocations: RevocationList) =>
            o.revocations?.kafka ? new KafkaRevocationSubscriber(revocations, o.revocations.kafka) : null,
        },
        AccessTokenGuard,
      ],
      exports: [RESOURCE_SERVER_OPTIONS, RevocationList, AccessTokenVerifier, AccessTokenGuard],
    };
  }
}
